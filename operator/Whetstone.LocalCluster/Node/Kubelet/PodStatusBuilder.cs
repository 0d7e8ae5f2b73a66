using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Computes a Pod's status from its containers' states, as the kubelet reports it.</summary>
public static class PodStatusBuilder
{
    /// <summary>Phase from container states, following the kubelet's rules.</summary>
    public static string CalculatePhase(string? restartPolicy, IReadOnlyCollection<V1ContainerStatus> containers, PodFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(containers);
        if (failure is not null)
        {
            return "Failed";
        }

        int running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var container in containers)
        {
            if (container.State?.Running is not null)
            {
                running++;
            }
            else if (container.State?.Terminated is { } terminated)
            {
                stopped++;
                succeeded += terminated.ExitCode == 0 ? 1 : 0;
            }
            else if (container.LastState?.Terminated is not null)
            {
                stopped++;
            }
            else
            {
                waiting++;
            }
        }

        if (waiting > 0 || containers.Count == 0)
        {
            return "Pending";
        }

        if (running > 0)
        {
            return "Running";
        }

        if (restartPolicy is null or "Always")
        {
            return "Running";
        }

        if (stopped == succeeded)
        {
            return "Succeeded";
        }

        return restartPolicy == "Never" ? "Failed" : "Running";
    }

    /// <summary>
    /// The full status: phase, the four standard conditions (keeping each one's lastTransitionTime while its
    /// status is unchanged), container statuses, host IP and the Pod's own loopback address, start time.
    /// </summary>
    public static V1PodStatus Build(
        V1Pod pod,
        IReadOnlyList<V1ContainerStatus> initContainers,
        IReadOnlyList<V1ContainerStatus> containers,
        PodFailure? failure,
        DateTime? startTime,
        string hostIp,
        string podIp,
        DateTime now,
        IReadOnlySet<string>? failingReadinessProbes = null)
    {
        var probeFailing = failingReadinessProbes ?? new HashSet<string>();
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(initContainers);
        ArgumentNullException.ThrowIfNull(containers);
        var incomplete = initContainers.Where(c => c.State?.Terminated?.ExitCode != 0).Select(c => c.Name).ToList();
        var initFailed = pod.Spec?.RestartPolicy == "Never" && initContainers.Any(c => c.State?.Terminated is { ExitCode: not 0 });
        var phase = incomplete.Count == 0 ? CalculatePhase(pod.Spec?.RestartPolicy, containers, failure)
            : failure is not null || initFailed ? "Failed" : "Pending";
        var terminal = phase is "Succeeded" or "Failed";
        var unready = containers.Where(container => container.State?.Running is null || probeFailing.Contains(container.Name)).Select(container => container.Name).ToList();
        var ready = !terminal && containers.Count > 0 && unready.Count == 0;
        var previous = pod.Status?.Conditions ?? [];
        var notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        var notReadyMessage = terminal ? null : $"containers with unready status: [{string.Join(' ', unready)}]";
        var readyState = ready ? "True" : "False";
        return new V1PodStatus
        {
            Phase = phase,
            Reason = failure?.Reason,
            Message = failure?.Message,
            HostIP = hostIp,
            HostIPs = [new V1HostIP { Ip = hostIp }],
            PodIP = podIp,
            PodIPs = [new V1PodIP { Ip = podIp }],
            StartTime = startTime,
            QosClass = pod.Status?.QosClass,
            Conditions =
            [
                Condition(previous, "PodReadyToStartContainers", "True", null, null, now),
                incomplete.Count == 0
                    ? Condition(previous, "Initialized", "True", null, null, now)
                    : Condition(previous, "Initialized", "False", "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]", now),
                Condition(previous, "Ready", readyState, ready ? null : notReadyReason, ready ? null : notReadyMessage, now),
                Condition(previous, "ContainersReady", readyState, ready ? null : notReadyReason, ready ? null : notReadyMessage, now),
                Condition(previous, "PodScheduled", "True", null, null, now),
            ],
            InitContainerStatuses = initContainers.Count == 0 ? null : [.. initContainers.Select(c => WithReadiness(c, isInit: true))],
            ContainerStatuses = [.. containers.Select(c => WithReadiness(c, isInit: false, probeFailing.Contains(c.Name)))],
        };
    }

    // A running container is ready unless its readiness probe is failing, as the kubelet reports it (a finished
    // init container counts as ready too).
    private static V1ContainerStatus WithReadiness(V1ContainerStatus container, bool isInit, bool probeFailing = false) => new()
    {
        Name = container.Name,
        Image = container.Image,
        ImageID = container.ImageID,
        ContainerID = container.ContainerID,
        RestartCount = container.RestartCount,
        State = container.State,
        LastState = container.LastState,
        Ready = isInit ? container.State?.Terminated?.ExitCode == 0 : container.State?.Running is not null && !probeFailing,
        Started = container.State?.Running is not null,
    };

    private static V1PodCondition Condition(
        IList<V1PodCondition> previous, string type, string status, string? reason, string? message, DateTime now)
    {
        var before = previous.FirstOrDefault(condition => condition.Type == type);
        var since = before is not null && before.Status == status ? before.LastTransitionTime ?? now : now;
        return new V1PodCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = since,
            LastProbeTime = null,
        };
    }
}
