namespace Whetstone.ModelRuntime;

/// <summary>How to continue a prompt.</summary>
/// <param name="MaxNewTokens">Most tokens to add.</param>
/// <param name="Temperature">0 is greedy; above 0 samples from the softened distribution.</param>
/// <param name="TopP">Nucleus sampling: keep the smallest set of tokens whose probability reaches this (1 keeps all).</param>
/// <param name="Seed">Seed of the sampler; the same seed gives the same sample on either backend.</param>
/// <param name="StopTokenIds">Tokens that end a sequence (kept in its result); usually end-of-sequence.</param>
/// <param name="StopSequences">Texts that end a sequence when they appear in the decoded output (cut from it).</param>
/// <param name="UseCache">False recomputes the whole sequence each step (for measuring what the cache saves).</param>
/// <param name="OnToken">
/// Called after each new token with the row (the prompt's index in the call) and that row's result so far, so a
/// server can stream; runs on the generating thread, so it must be quick.
/// </param>
public sealed record SamplingOptions(
    int MaxNewTokens,
    double Temperature = 0.0,
    double TopP = 1.0,
    ulong Seed = 0,
    IReadOnlyCollection<long>? StopTokenIds = null,
    IReadOnlyList<string>? StopSequences = null,
    bool UseCache = true,
    Action<int, GenerationResult>? OnToken = null);
