using MathNet.Numerics.Distributions;

namespace Whetstone.Evaluation.Statistics;

/// <summary>
/// The power statement: the smallest difference between model and baseline that a paired test on this many items
/// detects with the given power at the given two-sided significance level, by the normal approximation
/// δ = (z[1 − α/2] + z[power]) · s / √n, where s is the standard deviation (n − 1 in the denominator) of the per-item
/// differences. When the two never disagree (s = 0), s is taken as that of a single discordant pair, so the statement
/// never claims an impossible sensitivity.
/// </summary>
public static class DetectableRegression
{
    /// <summary>The minimum detectable difference for paired per-item values (model minus baseline).</summary>
    public static double Calculate(IReadOnlyList<double> differences, double alpha = 0.05, double power = 0.8)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var n = differences.Count;
        if (n < 2)
        {
            return double.PositiveInfinity;
        }

        var deviation = StandardDeviation(differences);
        if (deviation == 0)
        {
            var single = new double[n];
            single[0] = 1;
            deviation = StandardDeviation(single);
        }

        return (Normal.InvCDF(0, 1, 1 - (alpha / 2)) + Normal.InvCDF(0, 1, power)) * deviation / Math.Sqrt(n);
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var sum = values.Sum(v => (v - mean) * (v - mean));
        return Math.Sqrt(sum / (values.Count - 1));
    }
}
