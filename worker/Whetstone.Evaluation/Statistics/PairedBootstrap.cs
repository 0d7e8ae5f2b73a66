namespace Whetstone.Evaluation.Statistics;

/// <summary>
/// Paired percentile bootstrap: items are resampled with replacement, and model and baseline are scored on the same
/// resampled items, so the interval of their difference keeps the pairing. Resampling indices come from
/// <see cref="Random"/> seeded with a fixed seed, so an interval repeats exactly; <see cref="ResampleIndices"/> exposes
/// them so an independent implementation can recompute the interval from the same draws. Percentiles interpolate
/// linearly between order statistics (numpy's default <c>method="linear"</c>).
/// </summary>
public static class PairedBootstrap
{
    /// <summary>Resamples drawn unless a caller asks otherwise.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>Seed used unless a caller asks otherwise.</summary>
    public const int DefaultSeed = 20261204;

    /// <summary>The item indices of every resample: <paramref name="resamples"/> arrays of <paramref name="items"/> indices.</summary>
    public static int[][] ResampleIndices(int items, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        var random = new Random(seed);
        var all = new int[resamples][];
        for (var r = 0; r < resamples; r++)
        {
            var draw = new int[items];
            for (var i = 0; i < items; i++)
            {
                draw[i] = random.Next(items);
            }

            all[r] = draw;
        }

        return all;
    }

    /// <summary>
    /// The <paramref name="confidence"/> interval of <paramref name="statistic"/>, a function of a list of item indices
    /// (the full sample is 0..items-1), over the given resamples.
    /// </summary>
    public static BootstrapInterval Interval(int items, Func<IReadOnlyList<int>, double> statistic, int[][] resamples, double confidence = 0.95) =>
        Interval(Enumerable.Range(0, items).ToArray(), statistic, resamples, confidence);

    /// <summary>
    /// The interval of <paramref name="statistic"/> where the full sample is <paramref name="sample"/> and each resample
    /// is already a list of item indices. The same resample arrays passed for several statistics let a statistic cache
    /// per-resample work by reference.
    /// </summary>
    public static BootstrapInterval Interval(IReadOnlyList<int> sample, Func<IReadOnlyList<int>, double> statistic, IReadOnlyList<int[]> resamples, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentNullException.ThrowIfNull(resamples);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(confidence, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(confidence, 1);
        var estimate = statistic(sample);
        var values = resamples.Select(indices => statistic(indices)).ToArray();
        var sorted = values.Order().ToArray();
        var tail = (1 - confidence) / 2;
        return new BootstrapInterval(estimate, Percentile(sorted, tail), Percentile(sorted, 1 - tail), values);
    }

    /// <summary>The mean of <paramref name="values"/> at <paramref name="indices"/>.</summary>
    public static double MeanAt(IReadOnlyList<double> values, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Count == 0)
        {
            return 0;
        }

        var sum = 0.0;
        foreach (var index in indices)
        {
            sum += values[index];
        }

        return sum / indices.Count;
    }

    /// <summary>Linear-interpolation percentile of sorted values, <paramref name="quantile"/> in [0, 1].</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double quantile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var position = quantile * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        var fraction = position - below;
        return sorted[below] + ((sorted[above] - sorted[below]) * fraction);
    }
}
