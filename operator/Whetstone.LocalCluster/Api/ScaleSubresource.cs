using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Patching;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// The <c>scale</c> subresource of Deployments: an <c>autoscaling/v1</c> Scale whose <c>spec.replicas</c> is the
/// Deployment's. Reads build it from the stored Deployment; writes (PUT, or any patch applied to the Scale) set
/// the Deployment's <c>spec.replicas</c> and answer the new Scale. This is what <c>kubectl scale</c> and a
/// HorizontalPodAutoscaler use.
/// </summary>
internal static class ScaleSubresource
{
    public static JsonObject Read(ObjectService service, ResourceType type, string ns, string name) =>
        Build(service.Store.Get(type.StorageKey, ns, name) ?? throw ApiException.NotFound(type, name));

    public static JsonObject Write(ObjectService service, ResourceType type, string ns, string name, JsonObject scale, WriteOptions options)
    {
        var replicas = JsonInteger.Read(scale["spec"]?["replicas"]) ?? throw ApiException.BadRequest("spec.replicas is required");
        if (replicas < 0)
        {
            throw new ApiException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0");
        }

        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        if (scale["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } resourceVersion)
        {
            patch["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion };
        }

        service.Patch(type, ns, name, null, "application/merge-patch+json", patch.ToJsonString(), options);
        return Read(service, type, ns, name);
    }

    /// <summary>Applies a merge, strategic-merge or JSON patch to the current Scale (a Scale has no lists to merge by key).</summary>
    public static JsonObject ApplyPatch(JsonObject current, string contentType, string patchText)
    {
        var patch = RequestJson.Parse(patchText);
        var patched = contentType.Split(';')[0].Trim() switch
        {
            "application/json-patch+json" => JsonPatch.Apply(current, patch as JsonArray ?? throw ApiException.BadRequest("json patch must be a list of operations")),
            "application/merge-patch+json" or "application/strategic-merge-patch+json" => MergePatch.Apply(current, patch),
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };
        return patched as JsonObject ?? throw ApiException.BadRequest("the patch did not produce an object");
    }

    private static JsonObject Build(StoredObject deployment)
    {
        var metadata = deployment.Object["metadata"]!;
        var selector = deployment.Object["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = deployment.Name,
                ["namespace"] = deployment.Namespace,
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = deployment.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonInteger.Read(deployment.Object["spec"]?["replicas"]) ?? 1 },
            ["status"] = new JsonObject
            {
                ["replicas"] = JsonInteger.Read(deployment.Object["status"]?["replicas"]) ?? 0,
                ["selector"] = string.Join(",", selector.Select(pair => $"{pair.Key}={pair.Value}")),
            },
        };
    }
}
