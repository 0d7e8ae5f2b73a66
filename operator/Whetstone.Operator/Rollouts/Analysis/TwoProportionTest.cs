using System.Globalization;
using Whetstone.Api;

namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>
/// Canary versus stable on a rate (conversion, answer accuracy), one-sided around the non-inferiority margin δ:
/// the difference tested is θ = p_canary − (1 − δ)·p_stable. <b>Failed</b> when the data show θ &lt; 0 (the canary is
/// worse than the margin allows), <b>Passed</b> when they show θ &gt; 0 (it is not worse by more than δ), each with error
/// at most α = 1 − confidence however many times the test is repeated on growing data.
/// </summary>
/// <remarks>
/// The repeated looks are controlled by an always-valid mixture sequential probability ratio test (mSPRT, Johari,
/// Pekelis and Walsh 2017) on the normal approximation: with θ̂ the observed difference and V its estimated variance,
/// Λ = √(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²))) is the likelihood ratio of a normal mixture θ ~ N(0, τ²) against
/// θ = 0, and P(Λ ever reaches 1/(2α) on a given side | θ = 0) ≤ α. The test needs nothing from earlier looks, so the
/// operator can restart at any time. Why this and not alpha spending: docs/decisions.md.
/// </remarks>
public static class TwoProportionTest
{
    /// <summary>Reason of an Inconclusive look with fewer than <c>minSamples</c> attempts on a track.</summary>
    public const string TooFewSamples = "TooFewSamples";

    /// <summary>Reason of an Inconclusive look whose data do not yet decide either way.</summary>
    public const string NotYetDecided = "NotYetDecided";

    /// <summary>Reason of a Passed look.</summary>
    public const string NotWorse = "CanaryNotWorse";

    /// <summary>Reason of a Failed look.</summary>
    public const string Worse = "CanaryWorse";

    /// <summary>Reason of an Error look: counts that cannot be (negative, or more successes than attempts).</summary>
    public const string InvalidCounts = "InvalidCounts";

    /// <summary>Compares the two samples.</summary>
    public static ComparisonOutcome Compare(ProportionSample canary, ProportionSample stable, ComparisonSettings settings)
    {
        ArgumentNullException.ThrowIfNull(canary);
        ArgumentNullException.ThrowIfNull(stable);
        ArgumentNullException.ThrowIfNull(settings);
        var threshold = Math.Log(1 / (2 * settings.Alpha));
        if (!IsValid(canary) || !IsValid(stable))
        {
            return new(AnalysisVerdicts.Error, InvalidCounts, canary, stable, double.NaN, double.NaN, double.NaN, double.NaN, threshold);
        }

        var factor = 1 - settings.MaxRelativeDrop;
        var difference = canary.Rate - factor * stable.Rate;
        var variance = CalculateVariance(canary, stable, factor);
        var z = difference / Math.Sqrt(variance);
        var tau = settings.MixtureRelativeEffect * stable.Rate;
        var logLambda = CalculateLogLikelihoodRatio(difference, variance, tau * tau);
        if (canary.Total < settings.MinSamples || stable.Total < settings.MinSamples)
        {
            return new(AnalysisVerdicts.Inconclusive, TooFewSamples, canary, stable, difference, variance, z, logLambda, threshold);
        }

        var (verdict, reason) = logLambda < threshold ? (AnalysisVerdicts.Inconclusive, NotYetDecided)
            : difference < 0 ? (AnalysisVerdicts.Failed, Worse)
            : (AnalysisVerdicts.Passed, NotWorse);
        return new(verdict, reason, canary, stable, difference, variance, z, logLambda, threshold);
    }

    /// <summary>
    /// log Λ of the normal-mixture likelihood ratio for an estimate <paramref name="difference"/> with variance
    /// <paramref name="variance"/>, mixture variance <paramref name="mixtureVariance"/>.
    /// </summary>
    public static double CalculateLogLikelihoodRatio(double difference, double variance, double mixtureVariance)
    {
        if (!(variance > 0) || !(mixtureVariance > 0))
        {
            return 0;
        }

        return (0.5 * Math.Log(variance / (variance + mixtureVariance)))
            + (mixtureVariance * difference * difference / (2 * variance * (variance + mixtureVariance)));
    }

    /// <summary>Formats an outcome for <c>status.analysis[].message</c>.</summary>
    public static string Describe(ComparisonOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Reason}: canary {outcome.Canary.Successes:0}/{outcome.Canary.Total:0} ({outcome.Canary.Rate:0.####}), stable {outcome.Stable.Successes:0}/{outcome.Stable.Total:0} ({outcome.Stable.Rate:0.####}), z={outcome.Z:0.###}, log LR={outcome.LogLikelihoodRatio:0.###} (decides at {outcome.Threshold:0.###})");
    }

    // Unpooled Wald variance of p̂_c − f·p̂_s. A rate of exactly 0 or 1 would claim zero variance from a finite sample,
    // so such a track's variance uses (s + ½)/(n + 1) instead (the Jeffreys-style adjustment).
    private static double CalculateVariance(ProportionSample canary, ProportionSample stable, double factor) =>
        TrackVariance(canary) + (factor * factor * TrackVariance(stable));

    private static double TrackVariance(ProportionSample sample)
    {
        if (sample.Total <= 0)
        {
            return double.NaN;
        }

        var p = sample.Rate;
        if (p <= 0 || p >= 1)
        {
            p = (sample.Successes + 0.5) / (sample.Total + 1);
        }

        return p * (1 - p) / sample.Total;
    }

    private static bool IsValid(ProportionSample sample) =>
        double.IsFinite(sample.Successes) && double.IsFinite(sample.Total)
        && sample.Successes >= 0 && sample.Total >= 0 && sample.Successes <= sample.Total;
}
