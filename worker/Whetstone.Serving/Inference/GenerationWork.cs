using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Inference;

/// <summary>One completion request for the generation batcher.</summary>
/// <param name="Prompt">Prompt token ids (with the beginning-of-sequence token).</param>
/// <param name="Options">Sampling settings; requests share a batch only when these are equal and greedy.</param>
/// <param name="OnToken">Called on the batcher's thread with the result so far after each token (streaming, first-token time).</param>
internal sealed record GenerationWork(IReadOnlyList<long> Prompt, SamplingOptions Options, Action<GenerationResult>? OnToken);
