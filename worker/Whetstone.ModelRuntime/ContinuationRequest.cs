namespace Whetstone.ModelRuntime;

/// <summary>Score <paramref name="Continuation"/> after <paramref name="Context"/> (both token ids; the context is not empty).</summary>
public sealed record ContinuationRequest(IReadOnlyList<long> Context, IReadOnlyList<long> Continuation);
