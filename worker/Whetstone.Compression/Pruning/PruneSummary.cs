using System.Globalization;

namespace Whetstone.Compression.Pruning;

/// <summary>What a prune step did, in counts; <see cref="Describe"/> puts it in words next to the measured size and speed.</summary>
/// <param name="Structured">Heads and channels removed (true) or single weights zeroed (false).</param>
/// <param name="Scope">Unstructured ranking: per tensor or global.</param>
/// <param name="RequestedSparsity">The spec's sparsity.</param>
/// <param name="ParametersBefore">Every stored weight of the model before.</param>
/// <param name="ParametersAfter">Every stored weight after (unchanged by unstructured pruning: zeros are still stored).</param>
/// <param name="ProjectionWeightsBefore">Weights of the decoder projections before.</param>
/// <param name="ProjectionWeightsAfter">Weights of the decoder projections after.</param>
/// <param name="ProjectionZeros">Projection weights that are exactly zero after.</param>
/// <param name="Tensors">Unstructured: zeros per projection tensor.</param>
/// <param name="Pruning">Structured: the new configuration and the heads kept.</param>
public sealed record PruneSummary(
    bool Structured,
    PruneScope Scope,
    double RequestedSparsity,
    long ParametersBefore,
    long ParametersAfter,
    long ProjectionWeightsBefore,
    long ProjectionWeightsAfter,
    long ProjectionZeros,
    IReadOnlyList<TensorSparsity> Tensors,
    StructuredPruning? Pruning)
{
    /// <summary>The side-by-side timing of the model before and after, when it was measured.</summary>
    public PruneSpeed? Speed { get; init; }

    /// <summary>
    /// The sparsity reached: unstructured, zero projection weights / projection weights; structured, projection
    /// weights removed / projection weights before.
    /// </summary>
    public double Sparsity => Structured
        ? 1 - (double)ProjectionWeightsAfter / ProjectionWeightsBefore
        : (double)ProjectionZeros / ProjectionWeightsBefore;

    /// <summary>Weights of the model after, less the zeros of the projections (the other tensors are never pruned).</summary>
    public long NonZeroParameters => ParametersAfter - ProjectionZeros;

    /// <summary>Figures for <c>status.steps[].metrics</c>, against the model before this step.</summary>
    public IReadOnlyDictionary<string, double> Metrics(ModelFigures before, ModelFigures after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["sparsity"] = Math.Round(Sparsity, 6),
            ["requestedSparsity"] = RequestedSparsity,
            ["parametersBefore"] = ParametersBefore,
            ["parametersStored"] = ParametersAfter,
            ["nonZeroParameters"] = NonZeroParameters,
            ["sizeReduction"] = Math.Round(1 - (double)after.SizeBytes / before.SizeBytes, 6),
            ["speedupOverPreviousStep"] = Math.Round(Speed?.CpuSpeedup ?? Speed?.Speedup ?? before.LatencyP50Ms / after.LatencyP50Ms, 4),
        };
        if (Speed is { } speed)
        {
            metrics["sideBySideP50BeforeMs"] = Math.Round(speed.BeforeP50Ms, 4);
            metrics["sideBySideP50AfterMs"] = Math.Round(speed.AfterP50Ms, 4);
            metrics["sideBySideRounds"] = speed.Rounds;
            if (speed.CpuSpeedup is { } cpu)
            {
                metrics["sideBySideCpuSpeedup"] = Math.Round(cpu, 4);
            }
        }
        if (Pruning is { } p)
        {
            metrics["attentionHeads"] = p.Config.NumAttentionHeads;
            metrics["keyValueHeads"] = p.Config.KeyValueHeads;
            metrics["intermediateSize"] = p.Config.IntermediateSize;
        }
        return metrics;
    }

    /// <summary>
    /// The step's note: what was pruned and the honest size and speed outcome. Unstructured sparsity stored dense
    /// makes the file no smaller and a dense forward pass no faster, and the note says so with the measured figures
    /// instead of implying a gain.
    /// </summary>
    public string Describe(ModelFigures before, ModelFigures after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var sizeChange = 1 - (double)after.SizeBytes / before.SizeBytes;
        var speedup = Speed?.CpuSpeedup ?? Speed?.Speedup ?? before.LatencyP50Ms / after.LatencyP50Ms;
        var timing = Speed is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"{t.Rounds} alternating forward passes of {t.Tokens} tokens: wall P50 {t.BeforeP50Ms:F2} -> {t.AfterP50Ms:F2} ms ({t.Speedup:F2}x; fastest {t.BeforeMinMs:F2} -> {t.AfterMinMs:F2} ms)") +
              (t.CpuSpeedup is { } cpu ? string.Create(CultureInfo.InvariantCulture, $", CPU time per pass P50 {t.BeforeCpuP50Ms:F2} -> {t.AfterCpuP50Ms:F2} ms ({cpu:F2}x)") : "")
            : string.Create(CultureInfo.InvariantCulture, $"P50 {before.LatencyP50Ms:F2} -> {after.LatencyP50Ms:F2} ms ({speedup:F2}x)");
        var measured = string.Create(CultureInfo.InvariantCulture, $"measured: {before.SizeBytes:N0} -> {after.SizeBytes:N0} bytes ({sizeChange:P1} smaller), ") + timing;
        if (!Structured)
        {
            var scope = Scope == PruneScope.PerTensor ? "per tensor" : "global";
            return string.Create(CultureInfo.InvariantCulture,
                $"unstructured magnitude pruning ({scope}) of the decoder projections: {ProjectionZeros:N0} of {ProjectionWeightsBefore:N0} weights are zero (sparsity {Sparsity:F4}, asked {RequestedSparsity:F4}); ") +
                string.Create(CultureInfo.InvariantCulture,
                $"parameters {ParametersAfter:N0} stored, {NonZeroParameters:N0} non-zero. The zeros are stored dense: the file is 0 % smaller and a dense forward pass does the same work, so 0 % faster; ") +
                measured + " (any latency difference is run-to-run noise, not a gain)";
        }
        var p = Pruning!;
        var fewer = 1 - (double)ParametersAfter / ParametersBefore;
        var basis = Speed?.CpuSpeedup is null ? "" : " by CPU time";
        var speed = speedup >= 1 ? $"{speedup.ToString("F2", CultureInfo.InvariantCulture)}x faster{basis}" : $"{speedup.ToString("F2", CultureInfo.InvariantCulture)}x{basis}: not faster on this run";
        return string.Create(CultureInfo.InvariantCulture,
            $"structured magnitude pruning: attention heads per layer {p.OriginalHeads} -> {p.Config.NumAttentionHeads} (key/value heads {p.OriginalKeyValueHeads} -> {p.Config.KeyValueHeads}), MLP channels per layer {p.OriginalIntermediateSize} -> {p.Config.IntermediateSize}; ") +
            string.Create(CultureInfo.InvariantCulture,
            $"config.json updated; parameters {ParametersBefore:N0} -> {ParametersAfter:N0} ({fewer:P1} fewer; projections {Sparsity:P1} removed, asked {RequestedSparsity:P1}); ") +
            measured + $", {speed}";
    }
}
