using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// The kubelet's sync loop: every pass reads the Pods bound to this node, starts a <see cref="PodWorker"/> for
/// each new one, and for one being deleted (deletionTimestamp set, or gone) stops its processes within the
/// grace period and then finalizes the deletion with gracePeriodSeconds=0, as a kubelet does.
/// </summary>
internal sealed class LocalKubelet(
    IKubernetes client, LocalNodeOptions options, ContainerLaunchPlanner planner, ChangeSignal signal, ILoggerFactory loggers)
    : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    private readonly ILogger _logger = loggers.CreateLogger<LocalKubelet>();
    private readonly PodEventRecorder _events = new(client, "kubelet", options.NodeName, loggers.CreateLogger<PodEventRecorder>());
    private readonly Dictionary<string, PodWorker> _workers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _finalizing = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _nodeStopping = new();
    private readonly PodAddresses _addresses = new(
        Networking.LoopbackRange.Pods, Random.Shared.Next(Networking.LoopbackRange.Pods.Capacity), LoopbackListeners.AnyOnDeclaredPorts);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass is retried on the next signal; running Pods are unaffected.
            catch (Exception error)
#pragma warning restore CA1031
            {
                _logger.LogWarning(error, "Kubelet sync failed; retrying");
            }

            try
            {
                await signal.WaitAsync(options.ResyncInterval, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items
            .Where(pod => pod.Spec?.NodeName == options.NodeName)
            .ToList();
        var present = pods.Select(pod => pod.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                BeginFinalizing(pod);
            }
            else if (!_workers.ContainsKey(pod.Metadata.Uid) && pod.Status?.Phase is not ("Succeeded" or "Failed"))
            {
                if (_addresses.Assign(pod, pods) is not { } address)
                {
                    _logger.LogWarning("No free pod address for {Namespace}/{Pod}; waiting", pod.Metadata.NamespaceProperty, pod.Metadata.Name);
                    continue;
                }

                var worker = new PodWorker(pod, address, client, planner, _events, options.DataDirectory, loggers.CreateLogger<PodWorker>(), _nodeStopping.Token);
                _workers[pod.Metadata.Uid] = worker;
                _logger.LogInformation("Starting pod {Namespace}/{Pod}", pod.Metadata.NamespaceProperty, pod.Metadata.Name);
                worker.Start();
            }
        }

        foreach (var (uid, worker) in _workers.Where(pair => !present.Contains(pair.Key)).ToList())
        {
            // Removed without a graceful deletion (this server deletes Pods at once): nothing left to report,
            // only processes to stop within the Pod's own terminationGracePeriodSeconds.
            _workers.Remove(uid);
            _finalizing.TryRemove(uid, out _);
            _addresses.Release(uid);
            _ = StopAndForgetAsync(worker);
        }
    }

    private void BeginFinalizing(V1Pod pod)
    {
        if (!_finalizing.TryAdd(pod.Metadata.Uid, true))
        {
            return;
        }

        var grace = TimeSpan.FromSeconds(pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30);
        _workers.TryGetValue(pod.Metadata.Uid, out var worker);
        _ = FinalizeDeletionAsync(pod, worker, grace);
    }

    private async Task FinalizeDeletionAsync(V1Pod pod, PodWorker? worker, TimeSpan grace)
    {
        var (ns, name) = (pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        try
        {
            if (worker is not null)
            {
                _logger.LogInformation("Pod {Namespace}/{Pod} is being deleted; stopping its containers", ns, name);
                await worker.TerminateAsync(grace, reportStatus: true).ConfigureAwait(false);
            }

            await client.CoreV1.DeleteNamespacedPodAsync(
                name, ns, new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } },
                gracePeriodSeconds: 0, cancellationToken: _nodeStopping.Token).ConfigureAwait(false);
            _logger.LogInformation("Pod {Namespace}/{Pod} deleted", ns, name);
        }
        catch (Exception error) when (KubernetesErrors.IsNotFound(error) || KubernetesErrors.IsConflict(error))
        {
            // Already gone (or replaced by a new Pod of the same name).
        }
        catch (OperationCanceledException) when (_nodeStopping.IsCancellationRequested)
        {
            // Node stopping; the next run finishes the deletion.
        }
#pragma warning disable CA1031 // Retried: the Pod stays in the list with its deletionTimestamp.
        catch (Exception error)
#pragma warning restore CA1031
        {
            _logger.LogWarning(error, "Could not finish deleting pod {Namespace}/{Pod}; retrying", ns, name);
            _finalizing.TryRemove(pod.Metadata.Uid, out _);
        }

        signal.Notify();
    }

    private async Task StopAndForgetAsync(PodWorker worker)
    {
        await worker.TerminateAsync(worker.TerminationGracePeriod, reportStatus: false).ConfigureAwait(false);
        worker.Dispose();
    }

    /// <summary>Stops every container this node runs (SIGTERM, a short grace, SIGKILL) without reporting status.</summary>
    public async ValueTask DisposeAsync()
    {
        var workers = _workers.Values.ToList();
        _workers.Clear();
        await Task.WhenAll(workers.Select(worker => worker.TerminateAsync(ShutdownGrace, reportStatus: false))).ConfigureAwait(false);
        await _nodeStopping.CancelAsync().ConfigureAwait(false);
        foreach (var worker in workers)
        {
            worker.Dispose();
        }

        _nodeStopping.Dispose();
    }
}
