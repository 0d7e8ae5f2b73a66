using System.Globalization;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Api;

/// <summary>Reads an integer from a node whatever CLR type backs it (parsed JSON or a value set in code).</summary>
internal static class JsonInteger
{
    public static long? Read(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) ? result : null;
}
