using k8s.Models;
using Whetstone.Api.Workers;
using Whetstone.Operator.Tests.FineTuning;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.Workers;

/// <summary>Worker pods of any kind as the planner observes them: pending, running, or finished with a termination message.</summary>
internal static class ObservedWorkerPods
{
    public static V1Pod Pod(WorkerPodRequest request, string phase, long? generation = null, string? terminationMessage = null,
        int exitCode = 1, DateTime? finishedAt = null, bool unschedulable = false, string? terminatedReason = null)
    {
        var pod = WorkerPodBuilder.Build(request, FineTuneJobs.Options);
        if (generation is { } g)
        {
            pod.Metadata.Annotations[WorkerAnnotations.Generation] = g.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        pod.Status = new V1PodStatus { Phase = phase, StartTime = FineTuneJobs.Now.AddMinutes(-30) };
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
                            FinishedAt = finishedAt ?? FineTuneJobs.Now.AddMinutes(-1),
                        },
                    },
                },
            ];
        }
        else if (phase == "Running")
        {
            pod.Status.ContainerStatuses = [new V1ContainerStatus { Name = "worker", State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = FineTuneJobs.Now.AddMinutes(-30) } } }];
        }

        return pod;
    }
}
