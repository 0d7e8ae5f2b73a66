namespace Whetstone.ML.Training;

/// <summary>
/// The learning rate for each optimizer step: a linear warmup over ceil(warmupRatio × totalSteps) steps, then
/// constant, linear decay or cosine decay to zero. Pure; the same formulas as the Hugging Face schedulers except
/// that warmup counts the step being taken (step 0 already gets peak / warmupSteps, not zero, so no step is wasted).
/// </summary>
public sealed record LearningRateSchedule(LearningRateScheduleKind Kind, double PeakLearningRate, long TotalSteps, double WarmupRatio)
{
    /// <summary>Number of warmup steps: ceil(warmupRatio × totalSteps).</summary>
    public long WarmupSteps => (long)Math.Ceiling((WarmupRatio * TotalSteps) - 1e-9); // 1e-9: 10.0 / 110 × 110 is 10, not 11.

    /// <summary>Throws a clear error naming the field when a value is out of range.</summary>
    public void Validate()
    {
        if (!(PeakLearningRate > 0) || double.IsInfinity(PeakLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(PeakLearningRate), PeakLearningRate, "hyperparameters.learningRate must be a finite number greater than 0.");
        }

        if (TotalSteps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "The run must have at least one optimizer step.");
        }

        if (!(WarmupRatio >= 0 && WarmupRatio < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(WarmupRatio), WarmupRatio, "hyperparameters.warmupRatio must be at least 0 and less than 1.");
        }
    }

    /// <summary>The learning rate used by optimizer step <paramref name="step"/> (0-based).</summary>
    public double LearningRateAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var warmup = WarmupSteps;
        if (step < warmup)
        {
            return PeakLearningRate * (step + 1) / warmup;
        }

        var decaySteps = Math.Max(1, TotalSteps - warmup);
        var progress = Math.Min(1.0, (double)(step - warmup) / decaySteps);
        return Kind switch
        {
            LearningRateScheduleKind.Constant => PeakLearningRate,
            LearningRateScheduleKind.Linear => PeakLearningRate * (1.0 - progress),
            LearningRateScheduleKind.Cosine => PeakLearningRate * 0.5 * (1.0 + Math.Cos(Math.PI * progress)),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown learning rate schedule."),
        };
    }
}
