namespace Whetstone.ML.Training;

/// <summary>
/// What turns FLOPs into GPU time and money. Effective FLOP/s is what a training run really sustains on one GPU,
/// not the datasheet peak: the defaults are dense bf16 peak × 40 % model FLOPs utilization, a typical figure for
/// well-fed transformer training (H100 SXM 989 TFLOP/s → 4.0e14; A100 312 → 1.25e14; L4 121 → 4.8e13).
/// </summary>
/// <param name="GpuHourPrice">Price of one GPU for one hour (api.md: cost.gpuHourPrice).</param>
/// <param name="GpuType">Key into <see cref="EffectiveFlopsPerSecond"/>; unknown types use <see cref="DefaultEffectiveFlopsPerSecond"/>.</param>
/// <param name="GpuCount">GPUs the job uses (api.md: resources.gpu.count).</param>
public sealed record TrainingCostOptions(double GpuHourPrice, string GpuType = "nvidia-a100", int GpuCount = 1)
{
    /// <summary>Effective FLOP/s for a GPU type not in the table: an A100 at 40 % utilization.</summary>
    public const double DefaultEffectiveFlopsPerSecond = 1.25e14;

    /// <summary>Effective FLOP/s per GPU type (lower-case keys). Replace it to calibrate from measured runs.</summary>
    public IReadOnlyDictionary<string, double> EffectiveFlopsPerSecond { get; init; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["nvidia-h200"] = 4.0e14,
        ["nvidia-h100"] = 4.0e14,
        ["nvidia-a100"] = 1.25e14,
        ["nvidia-l40s"] = 1.45e14,
        ["nvidia-l4"] = 4.8e13,
        ["nvidia-t4"] = 2.6e13,
    };

    /// <summary>Effective FLOP/s of one GPU of <see cref="GpuType"/>.</summary>
    public double FlopsPerSecondPerGpu => EffectiveFlopsPerSecond.TryGetValue(GpuType, out var flops) ? flops : DefaultEffectiveFlopsPerSecond;
}
