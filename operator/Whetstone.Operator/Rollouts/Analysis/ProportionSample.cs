namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>Successes out of attempts on one track (for example conversions out of answered questions).</summary>
/// <param name="Successes">Successful attempts.</param>
/// <param name="Total">All attempts.</param>
public sealed record ProportionSample(double Successes, double Total)
{
    /// <summary>The observed rate, or NaN without attempts.</summary>
    public double Rate => Total > 0 ? Successes / Total : double.NaN;
}
