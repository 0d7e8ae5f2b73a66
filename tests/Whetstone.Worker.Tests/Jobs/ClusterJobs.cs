using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Worker.Tests.Jobs;

/// <summary>Whetstone jobs created and given a status in an embedded API server, as the operator would.</summary>
internal static class ClusterJobs
{
    /// <summary>Creates <paramref name="manifest"/> (retrying while a just-created CRD is not served yet); returns its uid.</summary>
    public static async Task<string> CreateAsync(IKubernetes client, string ns, string plural, JsonNode manifest)
    {
        var body = JsonDocument.Parse(manifest.ToJsonString()).RootElement;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var created = (JsonElement)await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, WhetstoneApi.Group, WhetstoneApi.Version, ns, plural);
                return created.GetProperty("metadata").GetProperty("uid").GetString()!;
            }
            catch (k8s.Autorest.HttpOperationException) when (attempt < 50)
            {
                // The CRD may take a moment to be served.
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Merges <paramref name="status"/> into the job's status subresource.</summary>
    public static Task PatchStatusAsync(IKubernetes client, string ns, string plural, string name, JsonObject status) =>
        client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch), WhetstoneApi.Group, WhetstoneApi.Version, ns, plural, name);
}
