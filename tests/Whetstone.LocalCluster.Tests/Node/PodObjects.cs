using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Node;

/// <summary>Small builders for the Pods and Nodes the unit tests reason about.</summary>
internal static class PodObjects
{
    public static V1Pod Pod(string name, Action<V1Container>? container = null, Action<V1PodSpec>? spec = null)
    {
        var main = new V1Container { Name = "main", Image = "busybox" };
        container?.Invoke(main);
        var podSpec = new V1PodSpec { Containers = [main], RestartPolicy = "Never" };
        spec?.Invoke(podSpec);
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team", Uid = "uid-" + name, Labels = new Dictionary<string, string> { ["app"] = "demo" } },
            Spec = podSpec,
        };
    }

    public static void Requests(V1Container container, params (string Name, string Quantity)[] requests) =>
        container.Resources = new V1ResourceRequirements
        {
            Requests = requests.ToDictionary(request => request.Name, request => new ResourceQuantity(request.Quantity)),
        };
}
