using System.Globalization;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Workers;

namespace Whetstone.Operator.Workers;

/// <summary>Reads a worker pod into an <see cref="AttemptObservation"/> (pure).</summary>
public static class WorkerPodObserver
{
    /// <summary>Observes one pod.</summary>
    public static AttemptObservation Observe(V1Pod pod)
    {
        var annotations = pod.Metadata.Annotations ?? new Dictionary<string, string>();
        var attempt = annotations.TryGetValue(WorkerAnnotations.Attempt, out var a) && int.TryParse(a, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var generation = annotations.TryGetValue(WorkerAnnotations.Generation, out var g) && long.TryParse(g, CultureInfo.InvariantCulture, out var gen) ? gen : 0;
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
        var terminated = container?.State?.Terminated;
        var started = container?.State?.Running?.StartedAt ?? terminated?.StartedAt ?? pod.Status?.StartTime;

        if (pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase is not ("Succeeded" or "Failed"))
        {
            return new AttemptObservation(attempt, pod.Metadata.Name, AttemptOutcome.Terminating, null, "the worker pod is being deleted", started, null, generation);
        }

        switch (pod.Status?.Phase)
        {
            case "Succeeded":
                return new AttemptObservation(attempt, pod.Metadata.Name, AttemptOutcome.Succeeded, ConditionReasons.Succeeded,
                    WorkerTerminationMessage.Parse(terminated?.Message).Message, started, terminated?.FinishedAt ?? DateTime.UtcNow, generation);
            case "Failed":
                var (reason, message) = FailureOf(pod, terminated);
                return new AttemptObservation(attempt, pod.Metadata.Name, AttemptOutcome.Failed, reason, message, started, terminated?.FinishedAt, generation);
            case "Running":
                return new AttemptObservation(attempt, pod.Metadata.Name, AttemptOutcome.Running, ConditionReasons.Running, null, started, null, generation);
            default:
                var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
                return scheduled is { Status: "False", Reason: "Unschedulable" }
                    ? new AttemptObservation(attempt, pod.Metadata.Name, AttemptOutcome.Unschedulable, ConditionReasons.Unschedulable, scheduled.Message, null, null, generation)
                    : new AttemptObservation(attempt, pod.Metadata.Name, AttemptOutcome.Pending, ConditionReasons.Pending, null, null, null, generation);
        }
    }

    private static (string Reason, string Message) FailureOf(V1Pod pod, V1ContainerStateTerminated? terminated)
    {
        if (pod.Status?.Reason == "DeadlineExceeded")
        {
            return (ConditionReasons.DeadlineExceeded, pod.Status.Message ?? "the worker pod ran past its active deadline");
        }

        if (terminated?.Reason == "OOMKilled")
        {
            return (ConditionReasons.OutOfMemory, "the worker was killed for using more memory than its limit (OOMKilled)");
        }

        var said = WorkerTerminationMessage.Parse(terminated?.Message);
        var exit = terminated is null ? "the worker failed" : $"the worker exited with code {terminated.ExitCode}";
        return (said.Reason ?? ConditionReasons.WorkerFailed, said.Message is null ? exit : $"{said.Message}");
    }
}
