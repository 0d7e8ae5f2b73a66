using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;
using TrainingProgress = Whetstone.ML.Training.TrainingProgress;

namespace Whetstone.Worker.FineTuning;

/// <summary>Feeds the trainer's progress into the status and on to the console.</summary>
internal sealed class TrainingStatusProgress(StatusReporter<FineTuneJobStatus> status, IProgress<TrainingProgress>? next, int evaluateEverySteps) : IProgress<TrainingProgress>
{
    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        status.Update(s => TrainingStatusMapper.ApplyProgress(s, value, evaluateEverySteps));
        next?.Report(value);
    }
}
