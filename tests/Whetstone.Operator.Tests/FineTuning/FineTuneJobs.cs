using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Operator.Configuration;
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
        int exitCode = 1, DateTime? finishedAt = null, bool unschedulable = false, string? terminatedReason = null)
    {
        var pod = WorkerPodBuilder.Build(new WorkerPodRequest(job, "finetune", attempt, job.Spec.Resources, job.Spec.QueueName, null), Options);
        if (generation is { } g)
        {
            pod.Metadata.Annotations[WorkerAnnotations.Generation] = g.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        pod.Status = new V1PodStatus { Phase = phase, StartTime = Now.AddMinutes(-30) };
        if (unschedulable)
        {
            pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/1 nodes are available: 1 Insufficient nvidia.com/gpu." }];
        }

        if (phase is "Succeeded" or "Failed")
        {
            pod.Status.ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = "worker",
                    State = new V1ContainerState
                    {
                        Terminated = new V1ContainerStateTerminated
                        {
                            ExitCode = phase == "Succeeded" ? 0 : exitCode,
                            Message = terminationMessage,
                            Reason = terminatedReason ?? (phase == "Succeeded" ? "Completed" : "Error"),
                            FinishedAt = finishedAt ?? Now.AddMinutes(-1),
                        },
                    },
                },
            ];
        }
        else if (phase == "Running")
        {
            pod.Status.ContainerStatuses = [new V1ContainerStatus { Name = "worker", State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Now.AddMinutes(-30) } } }];
        }

        return pod;
    }

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
