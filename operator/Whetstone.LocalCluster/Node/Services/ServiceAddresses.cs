using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Networking;

namespace Whetstone.LocalCluster.Node.Services;

/// <summary>
/// Makes sure every Service has a cluster IP in <see cref="LoopbackRange.Services"/>, where the Service proxy
/// listens. The embedded API server allocates one there already; this covers Services created before it did (or
/// by a server that allocates elsewhere), which would not be reachable on this machine.
/// </summary>
internal sealed class ServiceAddresses(IKubernetes client, LocalNodeOptions options, ChangeSignal signal, ILogger logger)
{
    public Task RunAsync(CancellationToken ct) =>
        SignalLoop.RunAsync("Service addresses", AssignAsync, signal, options.ResyncInterval, logger, ct);

    private async Task AssignAsync(CancellationToken ct)
    {
        var services = (await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        var used = services.Select(s => s.Spec?.ClusterIP).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var service in services.Where(NeedsAddress))
        {
            var address = LoopbackRange.Services.CalculateFree(used);
            if (address is null)
            {
                logger.LogWarning("No free Service address left for {Namespace}/{Service}", service.Metadata.NamespaceProperty, service.Metadata.Name);
                return;
            }

            used.Add(address);
            var patch = new V1Service { Spec = new V1ServiceSpec { ClusterIP = address, ClusterIPs = [address] } };
            try
            {
                await client.CoreV1.PatchNamespacedServiceAsync(
                    new V1Patch(patch, V1Patch.PatchType.MergePatch), service.Metadata.Name, service.Metadata.NamespaceProperty, cancellationToken: ct)
                    .ConfigureAwait(false);
                logger.LogInformation("Service {Namespace}/{Service} is at {Address}", service.Metadata.NamespaceProperty, service.Metadata.Name, address);
            }
            catch (k8s.Autorest.HttpOperationException error)
            {
                // Deleted meanwhile, or a server that keeps clusterIP immutable: leave that one as it is.
                logger.LogDebug(error, "Could not set the address of Service {Namespace}/{Service}", service.Metadata.NamespaceProperty, service.Metadata.Name);
            }
        }
    }

    // Headless Services (clusterIP: None) and ExternalName ones have no address to give.
    private static bool NeedsAddress(V1Service service) =>
        service.Spec?.Type != "ExternalName" && service.Spec?.ClusterIP != "None" && !LoopbackRange.Services.Contains(service.Spec?.ClusterIP);
}
