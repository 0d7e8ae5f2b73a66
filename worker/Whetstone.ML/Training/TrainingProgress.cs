namespace Whetstone.ML.Training;

/// <summary>A progress report after an optimizer step (api.md: status.progress and status.metrics).</summary>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Optimizer steps the run will take if it is not stopped early.</param>
/// <param name="Percent">Step / TotalSteps × 100.</param>
/// <param name="EtaSeconds">Estimated seconds left, from this session's mean step time.</param>
/// <param name="TrainLoss">Training loss of this step.</param>
/// <param name="ValidationLoss">Latest validation loss, or null before the first evaluation.</param>
/// <param name="BestValidationLoss">Lowest validation loss so far, or null.</param>
/// <param name="TokensPerSecond">Real (non-padding) training tokens per second in this session.</param>
public sealed record TrainingProgress(
    int Epoch,
    long Step,
    long TotalSteps,
    double Percent,
    double EtaSeconds,
    double TrainLoss,
    double? ValidationLoss,
    double? BestValidationLoss,
    double TokensPerSecond);
