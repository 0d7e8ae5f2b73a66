namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>
/// What one look of <see cref="TwoProportionTest"/> decided, with the numbers that decided it.
/// </summary>
/// <param name="Verdict">One of <see cref="Whetstone.Api.AnalysisVerdicts"/>.</param>
/// <param name="Reason">Why, in a few words (for Inconclusive: which data was missing).</param>
/// <param name="Canary">The canary's sample.</param>
/// <param name="Stable">The stable's sample.</param>
/// <param name="Difference">θ̂ = p̂_canary − (1 − δ)·p̂_stable: below 0 means worse than the margin allows.</param>
/// <param name="Variance">The estimated variance of <paramref name="Difference"/>.</param>
/// <param name="Z">θ̂ / √variance, the fixed-horizon Wald statistic.</param>
/// <param name="LogLikelihoodRatio">log Λ, the mixture likelihood ratio of the always-valid test.</param>
/// <param name="Threshold">log(1 / 2α), the boundary log Λ has to reach.</param>
public sealed record ComparisonOutcome(
    string Verdict,
    string Reason,
    ProportionSample Canary,
    ProportionSample Stable,
    double Difference,
    double Variance,
    double Z,
    double LogLikelihoodRatio,
    double Threshold)
{
    /// <summary>The always-valid one-sided p-value, min(1, 1 / 2Λ).</summary>
    public double AlwaysValidPValue => double.IsNaN(LogLikelihoodRatio) ? double.NaN : Math.Min(1, 0.5 * Math.Exp(-LogLikelihoodRatio));

    /// <summary>The canary's rate relative to the stable's, the value shown in status (NaN when undefined).</summary>
    public double RelativeRate => Stable.Rate > 0 ? Canary.Rate / Stable.Rate : double.NaN;
}
