using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Patching;

/// <summary>
/// The leaf fields an object sets, as paths. Maps are walked into; lists and scalars are leaves (lists are
/// owned whole, like atomic lists in Kubernetes). Server-owned metadata is never part of a field set.
/// </summary>
internal static class FieldSet
{
    private const char Separator = '\u001f';

    private static readonly HashSet<string> ServerOwnedMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generateName",
    ];

    public static HashSet<string> Of(JsonObject obj, bool includeStatus = true)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" || (!includeStatus && key == "status"))
            {
                continue;
            }
            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (!ServerOwnedMetadata.Contains(metaKey))
                    {
                        Collect(set, "metadata" + Separator + metaKey, metaValue);
                    }
                }
                continue;
            }
            Collect(set, key, value);
        }
        return set;
    }

    private static void Collect(HashSet<string> set, string path, JsonNode? value)
    {
        if (value is JsonObject map && map.Count > 0)
        {
            foreach (var (key, child) in map)
            {
                Collect(set, path + Separator + key, child);
            }
            return;
        }
        set.Add(path);
    }

    /// <summary>Whether <paramref name="obj"/> has the field at <paramref name="path"/> (a null value counts).</summary>
    public static bool Exists(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split(Separator))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(segment, out node))
            {
                return false;
            }
        }
        return true;
    }

    public static JsonNode? ValueAt(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split(Separator))
        {
            node = node is JsonObject o ? o[segment] : null;
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    public static void RemoveAt(JsonObject obj, string path)
    {
        var segments = path.Split(Separator);
        var parents = new List<JsonObject> { obj };
        JsonObject current = obj;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (current[segments[i]] is not JsonObject next)
            {
                return;
            }
            parents.Add(next);
            current = next;
        }
        current.Remove(segments[^1]);
        // Drop maps the removal left empty, as an apply that no longer mentions a map removes it.
        for (var i = parents.Count - 1; i > 0; i--)
        {
            if (parents[i].Count == 0 && segments[i - 1] != "metadata")
            {
                parents[i - 1].Remove(segments[i - 1]);
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>".spec.replicas" for messages.</summary>
    public static string Display(string path) => "." + path.Replace(Separator, '.');

    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var segment in path.Split(Separator))
            {
                var key = "f:" + segment;
                if (node[key] is not JsonObject child)
                {
                    node[key] = child = new JsonObject();
                }
                node = child;
            }
        }
        return root;
    }

    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null)
        {
            Walk(fields, null, set);
        }
        return set;
    }

    private static void Walk(JsonObject node, string? prefix, HashSet<string> set)
    {
        var hadChild = false;
        foreach (var (key, child) in node)
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal))
            {
                continue;
            }
            hadChild = true;
            var path = prefix is null ? key[2..] : prefix + Separator + key[2..];
            if (child is JsonObject childObject)
            {
                Walk(childObject, path, set);
            }
            else
            {
                set.Add(path);
            }
        }
        if (!hadChild && prefix is not null)
        {
            set.Add(prefix);
        }
    }

    /// <summary>Whether two paths overlap: equal, or one is inside the other.</summary>
    public static bool Overlaps(string a, string b) =>
        a == b || a.StartsWith(b + Separator, StringComparison.Ordinal) || b.StartsWith(a + Separator, StringComparison.Ordinal);
}
