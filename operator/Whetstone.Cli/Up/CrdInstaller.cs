using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Whetstone.Cli.Crds;

namespace Whetstone.Cli.Up;

/// <summary>
/// Installs the Whetstone CRDs into the embedded cluster at start, from the same generator that writes
/// <c>crds/</c>: absent ones are created, ones whose spec differs from this build's are replaced, equal ones are left.
/// </summary>
internal static class CrdInstaller
{
    /// <summary>Creates or updates the four CRDs; returns how many were created and updated.</summary>
    public static async Task<(int Created, int Updated)> InstallAsync(IKubernetes client, ILogger logger, CancellationToken ct)
    {
        var created = 0;
        var updated = 0;
        foreach (var crd in CrdGenerator.GenerateAll())
        {
            var wanted = KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.Definition.ToJsonString());
            V1CustomResourceDefinition? existing;
            try
            {
                existing = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(wanted.Metadata.Name, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
            {
                existing = null;
            }

            if (existing is null)
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(wanted, cancellationToken: ct).ConfigureAwait(false);
                created++;
                logger.LogInformation("Installed CRD {Name}", wanted.Metadata.Name);
            }
            else if (!JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(existing.Spec)), JsonNode.Parse(KubernetesJson.Serialize(wanted.Spec))))
            {
                wanted.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                await client.ApiextensionsV1.ReplaceCustomResourceDefinitionAsync(wanted, wanted.Metadata.Name, cancellationToken: ct).ConfigureAwait(false);
                updated++;
                logger.LogInformation("Updated CRD {Name} to this build's schema", wanted.Metadata.Name);
            }
        }

        return (created, updated);
    }
}
