using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Training;

/// <summary>The outcome of a training run, as a value.</summary>
/// <param name="StopReason">Why it ended.</param>
/// <param name="Message">A sentence for humans (empty when it simply completed).</param>
/// <param name="Step">Optimizer steps done (for Diverged, the step whose loss diverged).</param>
/// <param name="TotalSteps">Steps the run was planned to take.</param>
/// <param name="FinalTrainLoss">Training loss of the last step, or null if none ran.</param>
/// <param name="FinalValidationLoss">Latest validation loss, or null.</param>
/// <param name="BestValidationLoss">Lowest validation loss, or null.</param>
/// <param name="BestValidationStep">Step of the lowest validation loss, or null.</param>
/// <param name="LossCurve">Every loss point of the run (the loss curve artifact).</param>
/// <param name="TokensProcessed">Real training tokens processed, over all sessions of the run.</param>
/// <param name="WallSeconds">Training time, over all sessions of the run.</param>
/// <param name="ResumedFromStep">The checkpoint step this session resumed from, or null for a fresh run.</param>
/// <param name="Precision">The precision actually used.</param>
public sealed record TrainingResult(
    TrainingStopReason StopReason,
    string Message,
    long Step,
    long TotalSteps,
    double? FinalTrainLoss,
    double? FinalValidationLoss,
    double? BestValidationLoss,
    long? BestValidationStep,
    IReadOnlyList<LossPoint> LossCurve,
    long TokensProcessed,
    double WallSeconds,
    long? ResumedFromStep,
    TrainingPrecision Precision)
{
    /// <summary>The bounded loss history for the job status (≤ 100 points).</summary>
    public IReadOnlyList<LossPoint> BoundedLossHistory => LossHistoryDownsampler.Downsample(LossCurve, LossHistory.DefaultMaxStatusPoints);

    /// <summary>Steps whose optimizer update was skipped because fp16 gradients overflowed (0 without loss scaling).</summary>
    public long SkippedSteps { get; init; }

    /// <summary>The fp16 loss scale at the end of the run; null without loss scaling.</summary>
    public double? FinalLossScale { get; init; }

    /// <summary>Mean real training tokens per second.</summary>
    public double TokensPerSecond => WallSeconds > 0 ? TokensProcessed / WallSeconds : 0;
}
