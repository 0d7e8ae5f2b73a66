namespace Whetstone.ML.Tokenization;

/// <summary>
/// What a byte-level BPE tokenizer consists of, as stored in a Hugging Face <c>tokenizer.json</c>:
/// the vocabulary (in byte characters, see <see cref="ByteLevelAlphabet"/>), merges in rank order,
/// added tokens, and the pre-tokenization pattern.
/// </summary>
public sealed record BpeDefinition(
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    string SplitPattern);
