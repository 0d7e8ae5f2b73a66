namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>The parameters of a canary-versus-stable comparison (a metric's <c>compare</c> with defaults applied).</summary>
/// <param name="MaxRelativeDrop">Largest tolerated relative drop of the canary's rate (the non-inferiority margin δ).</param>
/// <param name="Confidence">1 − α, where α bounds each one-sided error over every look together.</param>
/// <param name="MinSamples">Attempts each track needs before the test decides.</param>
/// <param name="MixtureRelativeEffect">
/// Spread of the normal mixture over the effect, relative to the stable rate: the test is most powerful against
/// relative differences of about this size.
/// </param>
public sealed record ComparisonSettings(double MaxRelativeDrop, double Confidence, long MinSamples, double MixtureRelativeEffect = 0.1)
{
    /// <summary>The API's defaults: δ = 0.02, confidence 0.95, 500 samples.</summary>
    public static ComparisonSettings Default { get; } = new(0.02, 0.95, 500);

    /// <summary>α = 1 − confidence.</summary>
    public double Alpha => 1 - Confidence;
}
