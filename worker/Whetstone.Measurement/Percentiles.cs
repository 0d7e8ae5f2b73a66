namespace Whetstone.Measurement;

/// <summary>
/// Percentiles by the nearest-rank method: the p-th percentile of n sorted samples is the sample at rank
/// ⌈p / 100 × n⌉ (1-based; rank 1 for p = 0). Always an observed value, never an interpolation, so P99 of fewer
/// than 100 samples is the maximum.
/// </summary>
public static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="percentile"/> (0–100) of <paramref name="samples"/> (any order, at least one).</summary>
    public static double NearestRank(IReadOnlyList<double> samples, double percentile)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("at least one sample is needed", nameof(samples));
        }
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile lies between 0 and 100");
        }
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
