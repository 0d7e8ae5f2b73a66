using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node;

/// <summary>
/// Registers the Node object and keeps it alive: Ready condition heartbeats on the Node status and, when the
/// server serves Leases, a Lease in <c>kube-node-lease</c> renewed like the kubelet's.
/// </summary>
internal sealed class NodeRegistration(IKubernetes client, LocalNodeOptions options, ILogger logger)
{
    private const string LeaseNamespace = "kube-node-lease";
    private bool _leasesServed = true;

    /// <summary>The Node as registered (labels, taints, allocatable), used by the scheduler when the server copy is unreadable.</summary>
    public V1Node Registered { get; private set; } = NodeObject.Build(options, DateTime.UtcNow);

    public async Task RegisterAsync(CancellationToken ct)
    {
        var node = NodeObject.Build(options, DateTime.UtcNow);
        try
        {
            await client.CoreV1.CreateNodeAsync(node, cancellationToken: ct).ConfigureAwait(false);
            logger.LogInformation("Registered node {Node}", options.NodeName);
        }
        catch (Exception error) when (KubernetesErrors.IsConflict(error))
        {
            // Already registered by an earlier run: bring labels and taints up to date with this configuration.
            var patch = new V1Node { Metadata = new V1ObjectMeta { Labels = node.Metadata.Labels }, Spec = node.Spec };
            await client.CoreV1.PatchNodeAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), options.NodeName, cancellationToken: ct)
                .ConfigureAwait(false);
            logger.LogInformation("Node {Node} was registered before; updated its labels and taints", options.NodeName);
        }

        Registered = node;
        await HeartbeatAsync(ct).ConfigureAwait(false);
    }

    public async Task RunHeartbeatsAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await HeartbeatAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A missed heartbeat is retried on the next tick; the node keeps running Pods.
            catch (Exception error)
#pragma warning restore CA1031
            {
                logger.LogWarning(error, "Heartbeat for node {Node} failed; retrying", options.NodeName);
            }
        }
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        var status = new V1Node { Status = NodeObject.BuildStatus(options, DateTime.UtcNow) };
        await client.CoreV1.PatchNodeStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch), options.NodeName, cancellationToken: ct)
            .ConfigureAwait(false);
        if (_leasesServed)
        {
            await RenewLeaseAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task RenewLeaseAsync(CancellationToken ct)
    {
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = options.NodeName, NamespaceProperty = LeaseNamespace },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = options.NodeName,
                LeaseDurationSeconds = 40,
                RenewTime = DateTime.UtcNow,
            },
        };
        try
        {
            await client.CoordinationV1.PatchNamespacedLeaseAsync(
                new V1Patch(new V1Lease { Spec = lease.Spec }, V1Patch.PatchType.MergePatch), options.NodeName, LeaseNamespace, cancellationToken: ct)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (KubernetesErrors.IsNotFound(error))
        {
            await CreateLeaseAsync(lease, ct).ConfigureAwait(false);
        }
    }

    private async Task CreateLeaseAsync(V1Lease lease, CancellationToken ct)
    {
        try
        {
            await EnsureLeaseNamespaceAsync(ct).ConfigureAwait(false);
            await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, LeaseNamespace, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception error) when (KubernetesErrors.IsUnsupported(error))
        {
            _leasesServed = false;
            logger.LogInformation("The API server does not serve node Leases; the node heartbeats through its Ready condition only");
        }
    }

    private async Task EnsureLeaseNamespaceAsync(CancellationToken ct)
    {
        try
        {
            await client.CoreV1.CreateNamespaceAsync(
                new V1Namespace { Metadata = new V1ObjectMeta { Name = LeaseNamespace } }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception error) when (KubernetesErrors.IsConflict(error))
        {
            // Exists already.
        }
    }
}
