using System.Globalization;

namespace Whetstone.LocalCluster.Bench;

/// <summary>p50 / p99 / max of a set of latencies in milliseconds.</summary>
internal readonly record struct Percentiles(double P50, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? new Percentiles(double.NaN, double.NaN, double.NaN)
            : new Percentiles(sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], sorted[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50:F2} ms, p99 {P99:F2} ms, max {Max:F2} ms");
}
