namespace Whetstone.Evaluation.Statistics;

/// <summary>
/// Holm's step-down adjustment of p-values for testing several hypotheses at once: sorted ascending, the i-th
/// smallest (1-based) is multiplied by m − i + 1, capped at 1, and made non-decreasing.
/// </summary>
public static class HolmCorrection
{
    /// <summary>Adjusted p-values in the order of <paramref name="pValues"/>.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var index = order[rank];
            running = Math.Max(running, Math.Min(1.0, (m - rank) * pValues[index]));
            adjusted[index] = running;
        }

        return adjusted;
    }
}
