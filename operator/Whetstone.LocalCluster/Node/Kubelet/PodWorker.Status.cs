using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Container states and the Pod status written to the API server.</summary>
internal sealed partial class PodWorker
{
    /// <summary>How long a failed status write waits before it is tried again.</summary>
    private static readonly TimeSpan PersistRetryDelay = TimeSpan.FromSeconds(1);

    private int _persistRetryScheduled;
    private static V1ContainerStateTerminated StartErrorExit(LaunchProblem problem)
    {
        var now = DateTime.UtcNow;
        return new V1ContainerStateTerminated { ExitCode = 128, Reason = problem.Reason, Message = problem.Message, StartedAt = now, FinishedAt = now };
    }

    private static V1ContainerState Waiting(string reason, string message) =>
        new() { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };

    private static V1ContainerState? Terminated(V1ContainerStateTerminated? exit) =>
        exit is null ? null : new V1ContainerState { Terminated = exit };

    private V1ContainerStatus? StatusOf(string name)
    {
        lock (_gate)
        {
            return _statuses.GetValueOrDefault(name);
        }
    }

    private void SetState(
        V1Container container, V1ContainerState state, V1ContainerState? lastState, int restarts, string? containerId = null, string? imageId = null)
    {
        lock (_gate)
        {
            var before = _statuses.GetValueOrDefault(container.Name);
            _statuses[container.Name] = new V1ContainerStatus
            {
                Name = container.Name,
                Image = container.Image,
                ImageID = imageId ?? before?.ImageID ?? "",
                ContainerID = containerId ?? state.Terminated?.ContainerID ?? before?.ContainerID,
                RestartCount = restarts,
                State = state,
                LastState = lastState ?? new V1ContainerState(),
                Ready = false,
            };
        }
    }

    private Task RecordAsync(string type, string reason, string message) =>
        _persistEnabled && !_nodeStopping.IsCancellationRequested
            ? _events.RecordAsync(_pod, type, reason, message, _nodeStopping)
            : Task.CompletedTask;

    private async Task PersistAsync()
    {
        if (!_persistEnabled || _nodeStopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _persistGate.WaitAsync(_nodeStopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            V1PodStatus status;
            lock (_gate)
            {
                var initContainers = (_pod.Spec.InitContainers ?? []).Where(c => _statuses.ContainsKey(c.Name)).Select(c => _statuses[c.Name]).ToList();
                var containers = _pod.Spec.Containers.Where(c => _statuses.ContainsKey(c.Name)).Select(c => _statuses[c.Name]).ToList();
                status = PodStatusBuilder.Build(
                    _pod, initContainers, containers, _failure, _startTime, NodeObject.HostIp, _podIp, DateTime.UtcNow, _failingReadiness.ToHashSet(StringComparer.Ordinal));
                _pod.Status ??= new V1PodStatus();
                _pod.Status.Conditions = status.Conditions;
            }

            await _client.CoreV1.PatchNamespacedPodStatusAsync(
                new V1Patch(new V1Pod { Status = status }, V1Patch.PatchType.MergePatch), _paths.Name, _paths.Namespace,
                cancellationToken: _nodeStopping).ConfigureAwait(false);
        }
        catch (Exception error) when (KubernetesErrors.IsNotFound(error))
        {
            // The Pod is gone; the kubelet's sync stops this worker.
        }
        catch (OperationCanceledException) when (_nodeStopping.IsCancellationRequested)
        {
            // Node shutting down.
        }
#pragma warning disable CA1031 // A status write that fails is tried again until it lands; the containers keep running.
        catch (Exception error)
#pragma warning restore CA1031
        {
            _logger.LogWarning(error, "Could not write status of pod {Pod}; trying again in {Delay}", Key, PersistRetryDelay);
            SchedulePersistRetry();
        }
        finally
        {
            _persistGate.Release();
        }
    }

    /// <summary>
    /// Writes the status again after <see cref="PersistRetryDelay"/> (once, however many writes failed meanwhile; a
    /// retry that fails schedules the next). Waiting for the next change is not enough: a container that exits while
    /// the API server is unreachable makes no further change, and its pod would say Running for ever.
    /// </summary>
    private void SchedulePersistRetry()
    {
        if (Interlocked.Exchange(ref _persistRetryScheduled, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(PersistRetryDelay, _nodeStopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Interlocked.Exchange(ref _persistRetryScheduled, 0);
            }

            await PersistAsync().ConfigureAwait(false);
        }, CancellationToken.None);
    }
}
