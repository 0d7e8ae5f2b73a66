namespace Whetstone.Api;

/// <summary>
/// GPU products as nodes label them (<c>nvidia.com/gpu.product</c>: <c>NVIDIA-A100-SXM4-80GB</c>,
/// <c>NVIDIA-H100-80GB-HBM3</c>, <c>Tesla-T4</c>, …) and what one sustains in training: the one rate table the worker's
/// cost estimate and the operator's checks share. A label is priced by its family (the first part of the label that
/// names a known family, so memory size, form factor and vendor prefix do not matter).
/// </summary>
public static class GpuProducts
{
    /// <summary>Effective FLOP/s for a product not in the table: an A100 at 40 % utilization.</summary>
    public const double DefaultEffectiveFlopsPerSecond = 1.25e14;

    /// <summary>The family assumed when a job names no product.</summary>
    public const string DefaultFamily = "a100";

    /// <summary>
    /// Effective FLOP/s per family (lower case): dense bf16 peak × 40 % model FLOPs utilization, a typical figure for
    /// well-fed transformer training (H100 SXM 989 TFLOP/s → 4.0e14; A100 312 → 1.25e14; L4 121 → 4.8e13).
    /// Replace it (the worker's <c>TrainingCostOptions.EffectiveFlopsPerSecond</c>) to calibrate from measured runs.
    /// </summary>
    public static IReadOnlyDictionary<string, double> EffectiveFlopsPerSecond { get; } = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
    {
        ["h200"] = 4.0e14,
        ["h100"] = 4.0e14,
        ["a100"] = 1.25e14,
        ["l40s"] = 1.45e14,
        ["a10g"] = 5.0e13,
        ["l4"] = 4.8e13,
        ["v100"] = 5.0e13,
        ["t4"] = 2.6e13,
    };

    /// <summary>
    /// The family of a product label in <paramref name="table"/> (default: <see cref="EffectiveFlopsPerSecond"/>), or
    /// null when no part of the label names one.
    /// </summary>
    public static string? FamilyOf(string? product, IReadOnlyDictionary<string, double>? table = null)
    {
        if (string.IsNullOrWhiteSpace(product))
        {
            return null;
        }

        table ??= EffectiveFlopsPerSecond;
        return product.Split(['-', '_', ' ', '.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.ToLowerInvariant())
            .FirstOrDefault(table.ContainsKey);
    }

    /// <summary>True when <paramref name="product"/> is priced by the table rather than the default rate.</summary>
    public static bool IsKnown(string? product) => FamilyOf(product) is not null;
}
