using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;

namespace Whetstone.LocalCluster.Patching;

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, JsonArray operations)
    {
        var root = new JsonObject { ["r"] = document };
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.GetValue<string>() ?? throw Bad("op is missing");
            var path = operation["path"]?.GetValue<string>() ?? throw Bad("path is missing");
            switch (op)
            {
                case "add":
                    Add(root, path, Value(operation));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(operation));
                    break;
                case "move":
                    {
                        var from = From(operation);
                        var value = Get(root, from);
                        Remove(root, from);
                        Add(root, path, value);
                        break;
                    }
                case "copy":
                    Add(root, path, Get(root, From(operation)));
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }
                    break;
                default:
                    throw Bad($"Unexpected kind: {op}");
            }
        }
        return root["r"]!;
    }

    private static JsonNode? Value(JsonObject operation) =>
        operation.ContainsKey("value") ? operation["value"]?.DeepClone() : throw Bad("value is missing");

    private static string From(JsonObject operation) => operation["from"]?.GetValue<string>() ?? throw Bad("from is missing");

    private static (JsonNode Parent, string Key) Resolve(JsonObject root, string path)
    {
        var segments = ("/r" + path).Split('/')[1..].Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        JsonNode node = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            node = Child(node, segments[i]) ?? throw Bad($"doc is missing path: \"{path}\"");
        }
        return (node, segments[^1]);
    }

    private static JsonNode? Child(JsonNode node, string key) => node switch
    {
        JsonObject o => o[key],
        JsonArray a when int.TryParse(key, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, key) = Resolve(root, path);
        return parent switch
        {
            JsonObject o when o.ContainsKey(key) => o[key]?.DeepClone(),
            JsonArray a when int.TryParse(key, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count => a[i]?.DeepClone(),
            _ => throw Bad($"doc is missing path: \"{path}\""),
        };
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, key) = Resolve(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[key] = value;
                break;
            case JsonArray a when key == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(key, CultureInfo.InvariantCulture, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Bad($"doc is missing path: \"{path}\"");
        }
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, key) = Resolve(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(key):
                o.Remove(key);
                break;
            case JsonArray a when int.TryParse(key, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Bad($"doc is missing path: \"{path}\"");
        }
    }

    private static ApiException Bad(string message) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: {message}");
}
