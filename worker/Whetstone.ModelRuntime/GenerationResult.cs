namespace Whetstone.ModelRuntime;

/// <summary>One prompt's continuation.</summary>
/// <param name="TokenIds">The new tokens (a stop token, when reached, is the last).</param>
/// <param name="Text">The decoded new text, cut before a stop sequence.</param>
/// <param name="FinishReason"><c>stop</c> (stop token or sequence) or <c>length</c> (max tokens).</param>
/// <param name="TimeToFirstTokenSeconds">Seconds from the call to this sequence's first new token.</param>
public sealed record GenerationResult(IReadOnlyList<long> TokenIds, string Text, string FinishReason, double TimeToFirstTokenSeconds);
