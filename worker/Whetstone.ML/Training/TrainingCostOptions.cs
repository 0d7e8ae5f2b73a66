using Whetstone.Api;

namespace Whetstone.ML.Training;

/// <summary>
/// What turns FLOPs into GPU time and money. Effective FLOP/s is what a training run really sustains on one GPU,
/// not the datasheet peak: the defaults are dense bf16 peak × 40 % model FLOPs utilization, a typical figure for
/// well-fed transformer training (H100 SXM 989 TFLOP/s → 4.0e14; A100 312 → 1.25e14; L4 121 → 4.8e13).
/// </summary>
/// <param name="GpuHourPrice">Price of one GPU for one hour (api.md: cost.gpuHourPrice).</param>
/// <param name="GpuType">A GPU product label or family (see <see cref="GpuProducts"/>); unknown ones use <see cref="DefaultEffectiveFlopsPerSecond"/>.</param>
/// <param name="GpuCount">GPUs the job uses (api.md: resources.gpu.count).</param>
public sealed record TrainingCostOptions(double GpuHourPrice, string GpuType = "nvidia-a100", int GpuCount = 1)
{
    /// <summary>Effective FLOP/s for a GPU type not in the table: an A100 at 40 % utilization.</summary>
    public const double DefaultEffectiveFlopsPerSecond = GpuProducts.DefaultEffectiveFlopsPerSecond;

    /// <summary>
    /// Effective FLOP/s per GPU family (lower-case keys such as <c>h100</c>; the shared
    /// <see cref="GpuProducts.EffectiveFlopsPerSecond"/> by default). Replace it to calibrate from measured runs.
    /// </summary>
    public IReadOnlyDictionary<string, double> EffectiveFlopsPerSecond { get; init; } = GpuProducts.EffectiveFlopsPerSecond;

    /// <summary>
    /// Effective FLOP/s of one GPU of <see cref="GpuType"/>: a node's product label (<c>NVIDIA-A100-SXM4-80GB</c>,
    /// <c>Tesla-T4</c>) is priced by its family.
    /// </summary>
    public double FlopsPerSecondPerGpu => GpuProducts.FamilyOf(GpuType, EffectiveFlopsPerSecond) is { } family ? EffectiveFlopsPerSecond[family] : DefaultEffectiveFlopsPerSecond;
}
