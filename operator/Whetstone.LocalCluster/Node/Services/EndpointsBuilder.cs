using System.Globalization;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Services;

/// <summary>
/// What the endpoints controllers of kube-controller-manager would write for a Service: the Endpoints object and
/// one discovery.k8s.io/v1 EndpointSlice (named after the Service), from the Pods its selector matches.
/// Pods that are Ready are addresses; running ones that are not, or are terminating, are notReadyAddresses;
/// finished Pods and Pods without an address are left out. Both carry an owner reference to the Service.
/// </summary>
internal static class EndpointsBuilder
{
    public const string ManagedBy = "endpointslice-controller.whetstone.dev";

    /// <summary>The Pods the Service's selector matches (none for a Service without selector).</summary>
    public static IReadOnlyList<V1Pod> SelectPods(V1Service service, IEnumerable<V1Pod> pods)
    {
        var selector = service.Spec?.Selector;
        if (selector is null || selector.Count == 0)
        {
            return [];
        }

        return [.. pods
            .Where(pod => pod.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty)
            .Where(pod => selector.All(pair => pod.Metadata.Labels?.TryGetValue(pair.Key, out var value) == true && value == pair.Value))
            .Where(pod => pod.Status?.PodIP is { Length: > 0 } && pod.Status.Phase is not ("Succeeded" or "Failed"))
            .OrderBy(pod => pod.Metadata.Name, StringComparer.Ordinal)];
    }

    public static V1Endpoints BuildEndpoints(V1Service service, IReadOnlyList<V1Pod> pods)
    {
        var ports = ResolvePorts(service, pods);
        var ready = pods.Where(IsReady).Select(Address).ToList();
        var notReady = pods.Where(pod => !IsReady(pod)).Select(Address).ToList();
        return new V1Endpoints
        {
            ApiVersion = "v1",
            Kind = "Endpoints",
            Metadata = Metadata(service, service.Metadata.Name, labels: null),
            Subsets = ready.Count + notReady.Count == 0 ? null :
            [
                new V1EndpointSubset
                {
                    Addresses = ready.Count == 0 ? null : ready,
                    NotReadyAddresses = notReady.Count == 0 ? null : notReady,
                    Ports = [.. ports.Select(p => new Corev1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
                },
            ],
        };
    }

    public static V1EndpointSlice BuildEndpointSlice(V1Service service, IReadOnlyList<V1Pod> pods) => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = Metadata(service, service.Metadata.Name, new Dictionary<string, string>
        {
            ["kubernetes.io/service-name"] = service.Metadata.Name,
            ["endpointslice.kubernetes.io/managed-by"] = ManagedBy,
        }),
        AddressType = "IPv4",
        Endpoints = [.. pods.Select(pod => new V1Endpoint
        {
            Addresses = [pod.Status.PodIP],
            Conditions = new V1EndpointConditions
            {
                Ready = IsReady(pod),
                Serving = IsServing(pod),
                Terminating = pod.Metadata.DeletionTimestamp is not null,
            },
            NodeName = pod.Spec?.NodeName,
            TargetRef = PodReference(pod),
        })],
        Ports = [.. ResolvePorts(service, pods).Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
    };

    private static bool IsServing(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static bool IsReady(V1Pod pod) => IsServing(pod) && pod.Metadata.DeletionTimestamp is null;

    private static V1EndpointAddress Address(V1Pod pod) => new() { Ip = pod.Status.PodIP, NodeName = pod.Spec?.NodeName, TargetRef = PodReference(pod) };

    private static V1ObjectReference PodReference(V1Pod pod) =>
        new() { Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid };

    /// <summary>
    /// Each Service port with its target port as a number: a named targetPort is looked up in the first Pod's
    /// containers that declares it (every Pod of a Service is expected to use the same number).
    /// </summary>
    private static List<(string? Name, int Port, string Protocol)> ResolvePorts(V1Service service, IReadOnlyList<V1Pod> pods) =>
        [.. (service.Spec?.Ports ?? []).Select(port =>
        {
            var target = port.TargetPort?.Value ?? port.Port.ToString(CultureInfo.InvariantCulture);
            var number = int.TryParse(target, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
                : pods.SelectMany(pod => pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target)?.ContainerPort ?? port.Port;
            return (port.Name, number, port.Protocol ?? "TCP");
        })];

    private static V1ObjectMeta Metadata(V1Service service, string name, IDictionary<string, string>? labels) => new()
    {
        Name = name,
        NamespaceProperty = service.Metadata.NamespaceProperty,
        Labels = labels,
        OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "v1", Kind = "Service", Name = service.Metadata.Name, Uid = service.Metadata.Uid, Controller = true, BlockOwnerDeletion = true },
        ],
    };
}
