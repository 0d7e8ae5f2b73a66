using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: a merge patch in which the lists Kubernetes declares with a
/// merge key (containers, env, ports, volumes, volumeMounts, conditions...) merge element by element, and
/// finalizers merge as a set. Understands the $patch (replace/delete), $setElementOrder and $retainKeys
/// directives kubectl sends.
/// </summary>
internal static class StrategicMergePatch
{
    // Field name -> merge key, as declared by the patchMergeKey tags of the built-in types.
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["containerStatuses"] = "name",
        ["initContainerStatuses"] = "name",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
    };

    private static readonly HashSet<string> PrimitiveSets = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch, string? parentKey = null)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        if (patchObject["$patch"]?.GetValue<string>() == "replace")
        {
            var replacement = (JsonObject)patchObject.DeepClone();
            replacement.Remove("$patch");
            return replacement;
        }
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith('$'))
            {
                continue;
            }
            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) || key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray list && MergeKeys.TryGetValue(key, out var mergeKey) && MergeKeyFits(key, mergeKey, list))
            {
                result[key] = MergeList(result[key] as JsonArray, list, PortKey(key, parentKey, mergeKey));
            }
            else if (value is JsonArray primitives && PrimitiveSets.Contains(key))
            {
                var merged = (result[key] as JsonArray)?.Select(v => v?.DeepClone()).ToList() ?? [];
                foreach (var item in primitives.Where(item => !merged.Any(m => JsonNode.DeepEquals(m, item))))
                {
                    merged.Add(item?.DeepClone());
                }
                result[key] = new JsonArray([.. merged]);
            }
            else
            {
                result[key] = Apply(result[key]?.DeepClone(), value, key);
            }
        }
        foreach (var (key, value) in patchObject.Where(p => p.Key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal)).ToList())
        {
            var field = key["$deleteFromPrimitiveList/".Length..];
            if (result[field] is JsonArray existing && value is JsonArray toDelete)
            {
                foreach (var item in existing.Where(e => toDelete.Any(d => JsonNode.DeepEquals(d, e))).ToList())
                {
                    existing.Remove(item);
                }
            }
        }
        return result;
    }

    private static bool MergeKeyFits(string key, string mergeKey, JsonArray list) =>
        key == "ports" || list.All(item => item is JsonObject o && (o.ContainsKey(PortKey(key, null, mergeKey)) || o.ContainsKey("$patch")));

    // Container ports merge on containerPort, service ports on port; both are named "ports".
    private static string PortKey(string key, string? parentKey, string mergeKey) => key == "ports" ? (parentKey == "spec" ? "port" : "containerPort") : mergeKey;

    private static JsonArray MergeList(JsonArray? existing, JsonArray patch, string mergeKey)
    {
        if (patch.OfType<JsonObject>().Any(p => p["$patch"]?.GetValue<string>() == "replace"))
        {
            return new JsonArray([.. patch.OfType<JsonObject>().Where(p => p["$patch"] is null).Select(p => p.DeepClone())]);
        }
        var result = (existing ?? []).Select(e => e?.DeepClone()).ToList();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey];
            var index = result.FindIndex(e => e is JsonObject o && JsonNode.DeepEquals(o[mergeKey], key));
            if (item["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }
                continue;
            }
            if (index >= 0)
            {
                result[index] = Apply(result[index], item);
            }
            else
            {
                result.Add(Apply(null, item));
            }
        }
        return new JsonArray([.. result]);
    }
}
