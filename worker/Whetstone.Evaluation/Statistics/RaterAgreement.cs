namespace Whetstone.Evaluation.Statistics;

/// <summary>
/// How often two raters gave the same label, and Cohen's kappa: (p_o − p_e) / (1 − p_e), where p_o is the share of
/// items both labelled alike and p_e the share expected by chance from each rater's label frequencies (unweighted,
/// as scikit-learn's <c>cohen_kappa_score</c>).
/// </summary>
/// <param name="Items">Items both raters labelled.</param>
/// <param name="Agreement">p_o, the share of items with equal labels (0 without items).</param>
/// <param name="Kappa">Cohen's kappa, or null when undefined (no items, or p_e = 1: both raters used one and the same label throughout).</param>
public sealed record RaterAgreement(int Items, double Agreement, double? Kappa)
{
    /// <summary>The agreement of <paramref name="first"/> and <paramref name="second"/>, item by item.</summary>
    public static RaterAgreement Of<T>(IReadOnlyList<T> first, IReadOnlyList<T> second)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count != second.Count)
        {
            throw new ArgumentException($"{first.Count} labels against {second.Count}", nameof(second));
        }

        var n = first.Count;
        if (n == 0)
        {
            return new RaterAgreement(0, 0, null);
        }

        var observed = (double)first.Zip(second).Count(p => EqualityComparer<T>.Default.Equals(p.First, p.Second)) / n;
        var firstCounts = first.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var secondCounts = second.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var expected = firstCounts.Sum(p => (double)p.Value / n * secondCounts.GetValueOrDefault(p.Key) / n);
        return new RaterAgreement(n, observed, expected >= 1 ? null : (observed - expected) / (1 - expected));
    }
}
