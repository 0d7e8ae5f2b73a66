using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>Reading, writing and printing fields of a JSON object by path (property names and list indexes).</summary>
public static class FieldPaths
{
    /// <summary>kube-apiserver's form: <c>spec.steps[0].quantize</c>.</summary>
    public static string Format(IReadOnlyList<object> path)
    {
        var builder = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment is int index)
            {
                builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                builder.Append(builder.Length == 0 ? "" : ".").Append((string)segment);
            }
        }
        return builder.ToString();
    }

    /// <summary>The node at <paramref name="path"/>, or null.</summary>
    public static JsonNode? Get(JsonNode? root, IReadOnlyList<object> path)
    {
        var node = root;
        foreach (var segment in path)
        {
            node = (segment, node) switch
            {
                (int i, JsonArray list) when i < list.Count => list[i],
                (string key, JsonObject obj) => obj[key],
                _ => null,
            };
        }
        return node;
    }

    /// <summary>Sets (or, with <paramref name="remove"/>, removes) the value at <paramref name="path"/>.</summary>
    public static void Set(JsonNode root, IReadOnlyList<object> path, JsonNode? value, bool remove = false)
    {
        var parent = Get(root, path.Take(path.Count - 1).ToList());
        switch (path[^1], parent)
        {
            case (int i, JsonArray list) when remove:
                list.RemoveAt(i);
                break;
            case (int i, JsonArray list):
                list[i] = value;
                break;
            case (string key, JsonObject obj) when remove:
                obj.Remove(key);
                break;
            case (string key, JsonObject obj):
                obj[key] = value;
                break;
            default:
                throw new InvalidOperationException($"no parent for {Format(path)}");
        }
    }

    /// <summary>Every field of <paramref name="instance"/> under <paramref name="schema"/>, depth first.</summary>
    public static IEnumerable<SchemaField> Walk(JsonNode? instance, JsonObject schema, List<object> path)
    {
        switch (instance)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var child = schema["properties"]?[key] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (child is null)
                    {
                        continue;
                    }
                    List<object> childPath = [.. path, key];
                    yield return new SchemaField(childPath, child, schema);
                    foreach (var nested in Walk(value, child, childPath))
                    {
                        yield return nested;
                    }
                }
                break;
            case JsonArray list when schema["items"] is JsonObject items:
                for (var i = 0; i < list.Count; i++)
                {
                    List<object> childPath = [.. path, i];
                    yield return new SchemaField(childPath, items, schema);
                    foreach (var nested in Walk(list[i], items, childPath))
                    {
                        yield return nested;
                    }
                }
                break;
        }
    }
}
