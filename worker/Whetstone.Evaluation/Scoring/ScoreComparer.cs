using Whetstone.Evaluation.Statistics;

namespace Whetstone.Evaluation.Scoring;

/// <summary>
/// Puts the model's metrics beside the baseline's on the same items: value, baseline, delta, paired bootstrap
/// intervals (the same resampled items for both), McNemar's test for per-item correctness, and the power statement.
/// <paramref name="population"/> restricts everything to a subset of items (the clean subset after a contamination check).
/// </summary>
public sealed class ScoreComparer(int resamples = PairedBootstrap.DefaultResamples, int seed = PairedBootstrap.DefaultSeed)
{
    /// <summary>Compares every metric of <paramref name="model"/> (and the same-named ones of <paramref name="baseline"/>).</summary>
    public IReadOnlyList<ScoreComparison> Compare(SuiteMeasurement model, SuiteMeasurement? baseline, IReadOnlyList<int>? population = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (baseline is not null && baseline.Items != model.Items)
        {
            throw new ArgumentException($"suite {model.Suite}: model scored {model.Items} items, baseline {baseline.Items}", nameof(baseline));
        }

        var items = population ?? Enumerable.Range(0, model.Items).ToArray();
        var draws = PairedBootstrap.ResampleIndices(items.Count, resamples, seed).Select(positions => Map(items, positions)).ToArray();
        var comparisons = new List<ScoreComparison>();
        foreach (var metric in model.Metrics)
        {
            var value = PairedBootstrap.Interval(items, metric.Statistic, draws);
            if (baseline?.Find(metric.Name) is not { } other)
            {
                comparisons.Add(new ScoreComparison(model.Suite, metric.Name, items.Count, value, null, null, null, null, metric.HigherIsBetter));
                continue;
            }

            var baselineValue = PairedBootstrap.Interval(items, other.Statistic, draws);
            var delta = PairedBootstrap.Interval(items, indices => metric.Statistic(indices) - other.Statistic(indices), draws);
            McNemarResult? mcNemar = null;
            double? detectable = null;
            if (metric.Correct is { } mine && other.Correct is { } theirs)
            {
                var a = items.Select(i => mine[i]).ToArray();
                var b = items.Select(i => theirs[i]).ToArray();
                mcNemar = McNemarTest.Run(a, b);
                detectable = DetectableRegression.Calculate(a.Select((x, i) => (x ? 1.0 : 0.0) - (b[i] ? 1.0 : 0.0)).ToArray());
            }

            comparisons.Add(new ScoreComparison(model.Suite, metric.Name, items.Count, value, baselineValue, delta, mcNemar, detectable, metric.HigherIsBetter));
        }

        return comparisons;
    }

    private static int[] Map(IReadOnlyList<int> items, IReadOnlyList<int> positions)
    {
        var mapped = new int[positions.Count];
        for (var i = 0; i < mapped.Length; i++)
        {
            mapped[i] = items[positions[i]];
        }

        return mapped;
    }
}
