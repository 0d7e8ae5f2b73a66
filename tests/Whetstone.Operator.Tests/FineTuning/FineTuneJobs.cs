using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Tests.Workers;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.FineTuning;

/// <summary>Builders for FineTuneJobs and the worker pods the planner observes.</summary>
internal static class FineTuneJobs
{
    public static readonly DateTime Now = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    public static readonly WorkerOptions Options = new()
    {
        Image = "whetstone/worker:test",
        RetryBaseDelay = TimeSpan.FromSeconds(10),
        RetryMaxDelay = TimeSpan.FromMinutes(5),
    };

    public static FineTuneJob New(string name = "support-lora", long generation = 1, RunPolicy? runPolicy = null, WorkerResources? resources = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a", Uid = "uid-1234", Generation = generation },
        Spec = new FineTuneJobSpec
        {
            BaseModel = new ModelSource { Uri = "file:///models/tiny/" },
            Dataset = new FineTuneDataset { Uri = "file:///data/support.jsonl", Format = "chat" },
            RunPolicy = runPolicy,
            Resources = resources,
            QueueName = "gpu-queue",
            Output = new OutputLocation { Uri = "file:///out/" },
        },
    };

    public static V1Pod Pod(FineTuneJob job, int attempt, string phase, long? generation = null, string? terminationMessage = null,
        int exitCode = 1, DateTime? finishedAt = null, bool unschedulable = false, string? terminatedReason = null) =>
        ObservedWorkerPods.Pod(new WorkerPodRequest(job, "finetune", attempt, job.Spec.Resources, job.Spec.QueueName, null), phase, generation, terminationMessage,
            exitCode, finishedAt, unschedulable, terminatedReason);

    public static FineTuneJob WithStatus(this FineTuneJob job, string phase, int attempts, DateTime? startTime = null, DateTime? completionTime = null) =>
        job with
        {
            Status = new FineTuneJobStatus
            {
                Phase = phase,
                Attempts = attempts,
                WorkerPod = attempts > 0 ? WorkerPodBuilder.PodName(job.Metadata.Name, attempts) : null,
                StartTime = startTime,
                CompletionTime = completionTime,
                Metrics = new TrainingMetrics { TrainLoss = 1.5 },
            },
        };

    public static string? Condition(this FineTuneJobStatus status, string type) =>
        status.Conditions?.FirstOrDefault(c => c.Type == type) is { } c ? $"{c.Status}/{c.Reason}" : null;
}
