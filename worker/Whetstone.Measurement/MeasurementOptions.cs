namespace Whetstone.Measurement;

/// <summary>How long to measure: warm-up calls, then either a fixed number of calls or a fixed duration.</summary>
/// <param name="WarmupRuns">Calls made first and left out of every figure.</param>
/// <param name="Runs">Measured calls; ignored when <paramref name="Duration"/> is set.</param>
/// <param name="Duration">When set, measure calls until this much time has passed (at least one call).</param>
/// <param name="SingleThread">Pin the process to one CPU while measuring (Linux and Windows); the caller should also ask its runtime for one thread.</param>
public sealed record MeasurementOptions(int WarmupRuns = 3, int Runs = 20, TimeSpan? Duration = null, bool SingleThread = false)
{
    /// <summary>Throws naming the first value out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupRuns);
        if (Duration is null)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Runs);
        }
        else if (Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "the duration must be positive");
        }
    }
}
