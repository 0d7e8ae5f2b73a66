using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Services;

/// <summary>
/// Keeps each Service's Endpoints and EndpointSlice equal to what <see cref="EndpointsBuilder"/> computes from the
/// Pods it selects and their readiness (the job of kube-controller-manager's endpoints controllers). Writes only
/// what differs; the objects go with their Service through the owner reference.
/// </summary>
internal sealed class EndpointsController(IKubernetes client, LocalNodeOptions options, ChangeSignal signal, ILogger logger)
{
    public Task RunAsync(CancellationToken ct) =>
        SignalLoop.RunAsync("Endpoints", ReconcileAllAsync, signal, options.ResyncInterval, logger, ct);

    private async Task ReconcileAllAsync(CancellationToken ct)
    {
        var services = (await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        var pods = (await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items;
        var endpoints = (await client.CoreV1.ListEndpointsForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items
            .ToDictionary(e => (e.Metadata.NamespaceProperty, e.Metadata.Name));
        var slices = (await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: ct).ConfigureAwait(false)).Items
            .ToDictionary(e => (e.Metadata.NamespaceProperty, e.Metadata.Name));
        foreach (var service in services.Where(s => s.Spec?.Selector is { Count: > 0 }))
        {
            var key = (service.Metadata.NamespaceProperty, service.Metadata.Name);
            var selected = EndpointsBuilder.SelectPods(service, pods);
            await ReconcileEndpointsAsync(EndpointsBuilder.BuildEndpoints(service, selected), endpoints.GetValueOrDefault(key), ct).ConfigureAwait(false);
            await ReconcileSliceAsync(EndpointsBuilder.BuildEndpointSlice(service, selected), slices.GetValueOrDefault(key), ct).ConfigureAwait(false);
        }
    }

    private async Task ReconcileEndpointsAsync(V1Endpoints desired, V1Endpoints? current, CancellationToken ct)
    {
        var (ns, name) = (desired.Metadata.NamespaceProperty, desired.Metadata.Name);
        if (current is null)
        {
            await client.CoreV1.CreateNamespacedEndpointsAsync(desired, ns, cancellationToken: ct).ConfigureAwait(false);
        }
        else if (Json(current.Subsets) != Json(desired.Subsets))
        {
            desired.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
            await client.CoreV1.ReplaceNamespacedEndpointsAsync(desired, name, ns, cancellationToken: ct).ConfigureAwait(false);
        }
        else
        {
            return;
        }

        logger.LogInformation("Endpoints {Namespace}/{Service}: ready {Ready}, not ready {NotReady}", ns, name,
            string.Join(",", desired.Subsets?.SelectMany(s => s.Addresses ?? []).Select(a => a.Ip) ?? []),
            string.Join(",", desired.Subsets?.SelectMany(s => s.NotReadyAddresses ?? []).Select(a => a.Ip) ?? []));
    }

    private async Task ReconcileSliceAsync(V1EndpointSlice desired, V1EndpointSlice? current, CancellationToken ct)
    {
        var (ns, name) = (desired.Metadata.NamespaceProperty, desired.Metadata.Name);
        if (current is null)
        {
            await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(desired, ns, cancellationToken: ct).ConfigureAwait(false);
        }
        else if (Json(current.Endpoints) != Json(desired.Endpoints)
            || Json(current.Ports) != Json(desired.Ports))
        {
            desired.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
            await client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(desired, name, ns, cancellationToken: ct).ConfigureAwait(false);
        }
    }

    private static string Json(object? value) => value is null ? "null" : KubernetesJson.Serialize(value);
}
