namespace Whetstone.ML.Models;

/// <summary>How to continue a prompt.</summary>
/// <param name="MaxNewTokens">Most tokens to add.</param>
/// <param name="Temperature">0 picks the most likely token (greedy); above 0 samples from the softened distribution.</param>
/// <param name="TopK">When sampling, keep only the K most likely tokens (0 keeps all).</param>
/// <param name="Seed">Seed of the sampler, for repeatable samples.</param>
/// <param name="StopTokenIds">Tokens that end the continuation (included in the result); usually the end-of-sequence id.</param>
public sealed record GenerationOptions(
    int MaxNewTokens,
    double Temperature = 0.0,
    int TopK = 0,
    ulong Seed = 0,
    IReadOnlyCollection<long>? StopTokenIds = null);
