using Whetstone.Api.V1Alpha1;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Training;
using ApiLossPoint = Whetstone.Api.V1Alpha1.LossPoint;
using ApiTrainingProgress = Whetstone.Api.V1Alpha1.TrainingProgress;
using TrainingProgress = Whetstone.ML.Training.TrainingProgress;

namespace Whetstone.Worker.FineTuning;

/// <summary>How training's progress and result appear in a FineTuneJob's status (progress, metrics, lossHistory).</summary>
internal static class TrainingStatusMapper
{
    /// <summary>A finite value, or null (JSON has no NaN or infinity).</summary>
    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    /// <summary>
    /// A loss as status shows it: finite, to 4 decimals (kubectl prints numbers as stored, and 17 digits of a loss
    /// tell a person nothing). Manifests and the loss-curve artifact keep full precision.
    /// </summary>
    public static double? Shown(double? value) => Finite(value) is { } v ? Math.Round(v, 4) : null;

    /// <summary>Writes one step's progress: progress, metrics (keeping the base model's figures), one more loss point.</summary>
    public static void ApplyProgress(FineTuneJobStatus status, TrainingProgress value, int evaluateEverySteps)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(value);
        status.Progress = new ApiTrainingProgress
        {
            Epoch = value.Epoch,
            Step = value.Step,
            TotalSteps = value.TotalSteps,
            Percent = (int)Math.Floor(value.Percent),
            EtaSeconds = (long)Math.Round(value.EtaSeconds),
        };
        status.Metrics = new TrainingMetrics
        {
            TrainLoss = Shown(value.TrainLoss),
            ValidationLoss = Shown(value.ValidationLoss),
            BestValidationLoss = Shown(value.BestValidationLoss),
            BestStep = status.Metrics?.BestStep,
            TokensPerSecond = value.TokensPerSecond,
            BaseValidationLoss = status.Metrics?.BaseValidationLoss,
            BaseTestAccuracy = status.Metrics?.BaseTestAccuracy,
        };
        var history = status.LossHistory ?? [];
        var evaluated = value.Step % evaluateEverySteps == 0 || value.Step == value.TotalSteps;
        history.Add(new ApiLossPoint
        {
            Step = value.Step,
            Epoch = value.Epoch,
            TrainLoss = Shown(value.TrainLoss),
            ValidationLoss = evaluated ? Shown(value.ValidationLoss) : null,
        });

        // Bounded as api.md requires: keep every other point once full (evenly thinned, the latest kept).
        status.LossHistory = history.Count > LossHistory.DefaultMaxStatusPoints
            ? [.. history.Where((_, i) => i % 2 == 0 || i == history.Count - 1)]
            : history;
    }

    /// <summary>Writes the end of training: final progress, final and best losses, the bounded loss history.</summary>
    public static void ApplyResult(FineTuneJobStatus status, TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(result);
        status.Progress ??= new ApiTrainingProgress();
        status.Progress.Step = result.Step;
        status.Progress.TotalSteps = result.TotalSteps;
        status.Progress.Percent = (int)Math.Round(100.0 * result.Step / Math.Max(1, result.TotalSteps));
        status.Metrics ??= new TrainingMetrics();
        status.Metrics.TrainLoss = Shown(result.FinalTrainLoss);
        status.Metrics.ValidationLoss = Shown(result.FinalValidationLoss);
        status.Metrics.BestValidationLoss = Shown(result.BestValidationLoss);
        status.Metrics.BestStep = result.BestValidationStep;
        status.Metrics.TokensPerSecond = result.TokensPerSecond;
        status.LossHistory = [.. result.BoundedLossHistory.Select(ToApi)];
    }

    private static ApiLossPoint ToApi(Whetstone.ML.Monitoring.LossPoint point) => new()
    {
        Step = point.Step,
        TrainLoss = Shown(point.TrainLoss),
        ValidationLoss = Shown(point.ValidationLoss),
    };
}
