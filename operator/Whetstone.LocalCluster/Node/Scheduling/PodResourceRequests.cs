using k8s.Models;

namespace Whetstone.LocalCluster.Node.Scheduling;

/// <summary>What a Pod asks of a node, computed the way kube-scheduler does.</summary>
public static class PodResourceRequests
{
    /// <summary>
    /// Sums the app containers' requests (a resource with only a limit requests its limit, as the API server
    /// defaults it), takes the larger of that and each init container's requests, and adds the Pod overhead.
    /// </summary>
    public static IReadOnlyDictionary<string, decimal> Calculate(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var total = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            foreach (var (name, amount) in ContainerRequests(container))
            {
                total[name] = total.GetValueOrDefault(name) + amount;
            }
        }

        foreach (var init in pod.Spec?.InitContainers ?? [])
        {
            foreach (var (name, amount) in ContainerRequests(init))
            {
                total[name] = Math.Max(total.GetValueOrDefault(name), amount);
            }
        }

        foreach (var (name, quantity) in pod.Spec?.Overhead ?? new Dictionary<string, ResourceQuantity>())
        {
            total[name] = total.GetValueOrDefault(name) + quantity.ToDecimal();
        }

        return total;
    }

    private static Dictionary<string, decimal> ContainerRequests(V1Container container)
    {
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (name, quantity) in container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>())
        {
            requests[name] = quantity.ToDecimal();
        }

        foreach (var (name, quantity) in container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>())
        {
            requests[name] = quantity.ToDecimal();
        }

        return requests;
    }
}
