using k8s.Models;

namespace Whetstone.Operator.Workers;

/// <summary>
/// How long a worker container ran, from its container's start and finish times (pure). GPU time is this time, not
/// the job's wall time: queued, backing-off and suspended time hold no GPU.
/// </summary>
public static class WorkerRunTime
{
    /// <summary>Seconds the pod's worker container ran; a running one counts up to <paramref name="now"/>; one that never started, 0.</summary>
    public static double SecondsRan(V1Pod pod, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var state = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State;
        var seconds = state switch
        {
            { Terminated: { StartedAt: { } started, FinishedAt: { } finished } } => (finished - started).TotalSeconds,
            { Running.StartedAt: { } started } => (now - started).TotalSeconds,
            _ => 0,
        };
        return Math.Max(0, seconds);
    }
}
