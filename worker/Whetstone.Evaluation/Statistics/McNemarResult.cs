namespace Whetstone.Evaluation.Statistics;

/// <summary>McNemar's test on paired per-item correctness.</summary>
/// <param name="ModelOnly">Items the model got right and the baseline wrong.</param>
/// <param name="BaselineOnly">Items the baseline got right and the model wrong.</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="Exact">True when the exact binomial test was used (fewer than <see cref="McNemarTest.ExactBelow"/> discordant pairs).</param>
public sealed record McNemarResult(int ModelOnly, int BaselineOnly, double PValue, bool Exact)
{
    /// <summary>Pairs on which the two disagree.</summary>
    public int Discordant => ModelOnly + BaselineOnly;
}
