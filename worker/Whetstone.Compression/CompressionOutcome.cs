using Whetstone.Compression.Alignment;

namespace Whetstone.Compression;

/// <summary>Everything a compression run measured: per step, at the end, layer by layer when alignment broke, and every fallback try.</summary>
/// <param name="ModelDirectory">The final model directory (published even when not aligned).</param>
/// <param name="Format">whetstone or onnx.</param>
/// <param name="Task">What alignment measured.</param>
/// <param name="EvaluationRecords">Records both models ran on.</param>
/// <param name="Original">The source model.</param>
/// <param name="OriginalOnnx">The source model exported to ONNX FP32, when a step exported it (the fair speed baseline for ONNX Runtime results).</param>
/// <param name="Compressed">The final model.</param>
/// <param name="Alignment">Final against original.</param>
/// <param name="MaxDrop">The threshold on the metric's drop.</param>
/// <param name="MinCosine">The threshold on the logits' cosine.</param>
/// <param name="Aligned">Within both thresholds.</param>
/// <param name="Steps">One per spec step (the last run of each, after fallback).</param>
/// <param name="Layers">Layer-by-layer comparison of the first failing result, when alignment broke; else empty.</param>
/// <param name="FinalLayers">Layer-by-layer comparison of the final result when fallback ran or alignment failed; else empty.</param>
/// <param name="Tries">Fallback tries, in order.</param>
/// <param name="KeptInFloat">Layers kept in FP32 by fallback.</param>
public sealed record CompressionOutcome(
    string ModelDirectory,
    string Format,
    EvaluationTask Task,
    int EvaluationRecords,
    ModelFigures Original,
    ModelFigures? OriginalOnnx,
    ModelFigures Compressed,
    AlignmentFigures Alignment,
    double MaxDrop,
    double MinCosine,
    bool Aligned,
    IReadOnlyList<StepOutcome> Steps,
    IReadOnlyList<LayerDifference> Layers,
    IReadOnlyList<LayerDifference> FinalLayers,
    IReadOnlyList<FallbackTry> Tries,
    IReadOnlyList<string> KeptInFloat)
{
    /// <summary>original size / compressed size.</summary>
    public double CompressionRatio => (double)Original.SizeBytes / Compressed.SizeBytes;

    /// <summary>original P50 latency / compressed P50 latency; below 1 means slower.</summary>
    public double Speedup => Original.LatencyP50Ms / Compressed.LatencyP50Ms;

    /// <summary>True when the compressed model is slower than the original (never reported as a speed gain).</summary>
    public bool IsSlower => Speedup < 1;

    /// <summary>The worst compressed layers (most noise added by the layer itself) of the first failing comparison.</summary>
    public IReadOnlyList<LayerDifference> WorstLayers(int count) => [.. Layers.Where(l => l.Compressed).OrderByDescending(l => l.AddedNoise).Take(count)];
}
