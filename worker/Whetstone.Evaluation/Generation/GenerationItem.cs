using Whetstone.ML.Tokenization;

namespace Whetstone.Evaluation.Generation;

/// <summary>One prompt (the conversation before the answer) and its reference answer.</summary>
public sealed record GenerationItem(string Id, IReadOnlyList<ChatMessage> Prompt, string Reference);
