namespace Whetstone.Measurement;

/// <summary>Latency of the measured runs in milliseconds; percentiles by <see cref="Percentiles.NearestRank"/>.</summary>
/// <param name="Count">Measured runs (warm-up excluded).</param>
/// <param name="MeanMs">Arithmetic mean.</param>
/// <param name="MinMs">Fastest run.</param>
/// <param name="P50Ms">Median (nearest rank).</param>
/// <param name="P95Ms">95th percentile (nearest rank).</param>
/// <param name="P99Ms">99th percentile (nearest rank).</param>
/// <param name="MaxMs">Slowest run.</param>
public sealed record LatencySummary(int Count, double MeanMs, double MinMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>Summarises run durations given in milliseconds.</summary>
    public static LatencySummary FromMilliseconds(IReadOnlyList<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return new LatencySummary(
            samples.Count,
            samples.Average(),
            samples.Min(),
            Percentiles.NearestRank(samples, 50),
            Percentiles.NearestRank(samples, 95),
            Percentiles.NearestRank(samples, 99),
            samples.Max());
    }
}
