using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Services;

/// <summary>
/// Gives every Service the node's loopback address. There is no proxy: a Pod's server listens on
/// 127.0.0.1 at its container port (the kubelet passes it as <c>PORT</c>), so a Service is reached at
/// <c>127.0.0.1:&lt;targetPort&gt;</c> from the host. Two Pods declaring the same port would collide; that is the
/// known limit of this design.
/// </summary>
internal sealed class ServiceAddresses(IKubernetes client, LocalNodeOptions options, ChangeSignal signal, ILogger logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await AssignAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Retried on the next signal.
            catch (Exception error)
#pragma warning restore CA1031
            {
                logger.LogDebug(error, "Assigning Service addresses failed; retrying");
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

    private async Task AssignAsync(CancellationToken ct)
    {
        var services = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false);
        foreach (var service in services.Items.Where(NeedsAddress))
        {
            var patch = new V1Service { Spec = new V1ServiceSpec { ClusterIP = NodeObject.HostIp, ClusterIPs = [NodeObject.HostIp] } };
            try
            {
                await client.CoreV1.PatchNamespacedServiceAsync(
                    new V1Patch(patch, V1Patch.PatchType.MergePatch), service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: ct)
                    .ConfigureAwait(false);
                logger.LogInformation("Service {Namespace}/{Service} is at {Address}", service.Metadata.NamespaceProperty, service.Metadata.Name, NodeObject.HostIp);
            }
            catch (k8s.Autorest.HttpOperationException error)
            {
                // Deleted meanwhile, or a server that keeps clusterIP immutable: leave that one as it is.
                logger.LogDebug(error, "Could not set the address of Service {Namespace}/{Service}", service.Metadata.NamespaceProperty, service.Metadata.Name);
            }
        }
    }

    // Headless Services (clusterIP: None) and ExternalName ones have no address to give; any other address
    // (one a server allocated from a range) would not be reachable on this machine.
    private static bool NeedsAddress(V1Service service) =>
        service.Spec?.Type != "ExternalName" && service.Spec?.ClusterIP is not ("None" or NodeObject.HostIp);
}
