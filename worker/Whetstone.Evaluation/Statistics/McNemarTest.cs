using MathNet.Numerics.Distributions;

namespace Whetstone.Evaluation.Statistics;

/// <summary>
/// McNemar's test of whether two classifiers of the same items differ in accuracy. Only discordant pairs count:
/// under the null hypothesis each is the model's win with probability 1/2. Below <see cref="ExactBelow"/> discordant
/// pairs the exact two-sided binomial test is used (p = min(1, 2·P[X ≤ min(b, c)]), X ~ Binomial(b + c, 1/2)); from
/// there on the chi-square statistic with continuity correction, (|b − c| − 1)² / (b + c), on one degree of freedom.
/// </summary>
public static class McNemarTest
{
    /// <summary>Discordant pairs below which the exact test is used.</summary>
    public const int ExactBelow = 25;

    /// <summary>Tests paired correctness flags (same length, same items in the same order).</summary>
    public static McNemarResult Run(IReadOnlyList<bool> model, IReadOnlyList<bool> baseline)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(baseline);
        if (model.Count != baseline.Count)
        {
            throw new ArgumentException($"paired results differ in length: {model.Count} against {baseline.Count}", nameof(baseline));
        }

        int modelOnly = 0, baselineOnly = 0;
        for (var i = 0; i < model.Count; i++)
        {
            if (model[i] && !baseline[i])
            {
                modelOnly++;
            }
            else if (!model[i] && baseline[i])
            {
                baselineOnly++;
            }
        }

        return FromCounts(modelOnly, baselineOnly);
    }

    /// <summary>Tests from the discordant counts <paramref name="modelOnly"/> (b) and <paramref name="baselineOnly"/> (c).</summary>
    public static McNemarResult FromCounts(int modelOnly, int baselineOnly)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(modelOnly);
        ArgumentOutOfRangeException.ThrowIfNegative(baselineOnly);
        var discordant = modelOnly + baselineOnly;
        if (discordant == 0)
        {
            return new McNemarResult(0, 0, 1.0, Exact: true);
        }

        if (discordant < ExactBelow)
        {
            var tail = Binomial.CDF(0.5, discordant, Math.Min(modelOnly, baselineOnly));
            return new McNemarResult(modelOnly, baselineOnly, Math.Min(1.0, 2 * tail), Exact: true);
        }

        var corrected = Math.Abs(modelOnly - baselineOnly) - 1.0;
        var statistic = corrected * corrected / discordant;
        return new McNemarResult(modelOnly, baselineOnly, 1 - ChiSquared.CDF(1, statistic), Exact: false);
    }
}
