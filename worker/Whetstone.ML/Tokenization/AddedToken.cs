namespace Whetstone.ML.Tokenization;

/// <summary>A token the tokenizer matches whole before BPE (a Hugging Face "added token").</summary>
public sealed record AddedToken(int Id, string Content, bool Special);
