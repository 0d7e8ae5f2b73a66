namespace Whetstone.ML.Monitoring;

/// <summary>Fail when a loss is NaN or infinite, or greater than <see cref="MaxLossIncrease"/> times the best loss so far.</summary>
/// <param name="MaxLossIncrease">Allowed ratio of a loss to the best (lowest) loss of the same kind seen so far. Must be &gt; 1.</param>
public sealed record DivergenceOptions(double MaxLossIncrease = 3.0)
{
    /// <summary>Throws a clear error naming the field when the value is out of range.</summary>
    public void Validate()
    {
        if (!(MaxLossIncrease > 1) || double.IsInfinity(MaxLossIncrease))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLossIncrease), MaxLossIncrease, "divergence.maxLossIncrease must be a finite number greater than 1.");
        }
    }
}
