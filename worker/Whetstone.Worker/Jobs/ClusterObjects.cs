using System.Text.Json;
using k8s;
using Whetstone.Api;

namespace Whetstone.Worker.Jobs;

/// <summary>Reads Whetstone objects from the API server as their Api types.</summary>
internal static class ClusterObjects
{
    /// <summary>The object <paramref name="jobNamespace"/>/<paramref name="name"/> of resource <paramref name="plural"/>.</summary>
    public static async Task<T> GetAsync<T>(IKubernetes client, string jobNamespace, string plural, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, jobNamespace, plural, name, cancellationToken).ConfigureAwait(false);
        return KubernetesJson.Deserialize<T>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
    }
}
