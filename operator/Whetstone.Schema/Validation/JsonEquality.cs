using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Schema.Validation;

/// <summary>
/// Value equality of JSON trees with numbers compared by value (1 equals 1.0), as Kubernetes compares enum
/// members and set items after decoding.
/// </summary>
internal static class JsonEquality
{
    public static bool DeepEquals(JsonNode? left, JsonNode? right)
    {
        switch (left, right)
        {
            case (null, null): return true;
            case (JsonObject a, JsonObject b):
                if (a.Count != b.Count) return false;
                foreach (var (key, value) in a)
                {
                    if (!b.TryGetPropertyValue(key, out var other) || !DeepEquals(value, other)) return false;
                }
                return true;
            case (JsonArray a, JsonArray b):
                if (a.Count != b.Count) return false;
                for (var i = 0; i < a.Count; i++)
                {
                    if (!DeepEquals(a[i], b[i])) return false;
                }
                return true;
            case (JsonValue a, JsonValue b):
                var kind = a.GetValueKind();
                if (kind != b.GetValueKind()) return false;
                return kind switch
                {
                    JsonValueKind.String => a.GetValue<string>() == b.GetValue<string>(),
                    JsonValueKind.Number => NumbersEqual(a, b),
                    _ => true,
                };
            default:
                return false;
        }
    }

    /// <summary>A text that is equal for equal values: used to find duplicates in sets and list maps.</summary>
    public static string CanonicalKey(JsonNode? node)
    {
        var builder = new StringBuilder();
        AppendCanonical(builder, node);
        return builder.ToString();
    }

    private static void AppendCanonical(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(JsonSerializer.Serialize(key)).Append(':');
                    AppendCanonical(builder, value);
                    builder.Append(',');
                }
                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                foreach (var item in array)
                {
                    AppendCanonical(builder, item);
                    builder.Append(',');
                }
                builder.Append(']');
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                builder.Append(JsonNumbers.TryGetInt64(value, out var integer)
                    ? integer.ToString(CultureInfo.InvariantCulture)
                    : JsonNumbers.GetDouble(value).ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }

    private static bool NumbersEqual(JsonValue a, JsonValue b)
    {
        if (JsonNumbers.TryGetInt64(a, out var x) && JsonNumbers.TryGetInt64(b, out var y)) return x == y;
        return JsonNumbers.GetDouble(a) == JsonNumbers.GetDouble(b);
    }
}
