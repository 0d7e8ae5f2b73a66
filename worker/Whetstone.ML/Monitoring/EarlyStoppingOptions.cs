namespace Whetstone.ML.Monitoring;

/// <summary>Stop when the validation loss has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> evaluations.</summary>
/// <param name="Patience">Evaluations without improvement that are tolerated; the next one stops the run. Must be ≥ 1.</param>
/// <param name="MinDelta">How much lower than the best so far a validation loss must be to count as an improvement. Must be ≥ 0.</param>
public sealed record EarlyStoppingOptions(int Patience = 3, double MinDelta = 0.001)
{
    /// <summary>Throws a clear error naming the field when a value is out of range.</summary>
    public void Validate()
    {
        if (Patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "earlyStopping.patience must be at least 1.");
        }

        if (MinDelta < 0 || double.IsNaN(MinDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "earlyStopping.minDelta must be 0 or more.");
        }
    }
}
