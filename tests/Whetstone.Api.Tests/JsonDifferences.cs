using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Api.Tests;

/// <summary>
/// Lists where two JSON trees differ, by path. Numbers compare by value (2.0e-4 equals 0.0002, 3.0 equals 3), as
/// they do for Kubernetes; everything else compares exactly, including missing versus null.
/// </summary>
internal static class JsonDifferences
{
    /// <summary>Fails with every difference listed, one per line.</summary>
    public static void AssertNone(JsonNode? expected, JsonNode? actual, bool numericStringsEqualNumbers = false)
    {
        var differences = Between(expected, actual, numericStringsEqualNumbers);
        Assert.True(differences.Count == 0, "the trees differ:\n" + string.Join("\n", differences));
    }

    /// <param name="expected">The reference tree.</param>
    /// <param name="actual">The tree to check.</param>
    /// <param name="numericStringsEqualNumbers">
    /// Treat "4" and 4 as equal: int-or-string fields (quantities) mean the same either way, and KubernetesYaml writes
    /// quantities as plain scalars.
    /// </param>
    public static IReadOnlyList<string> Between(JsonNode? expected, JsonNode? actual, bool numericStringsEqualNumbers = false)
    {
        var differences = new List<string>();
        Compare("", expected, actual, differences, numericStringsEqualNumbers);
        return differences;
    }

    private static void Compare(string path, JsonNode? expected, JsonNode? actual, List<string> differences, bool lenient)
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: missing (expected {value?.ToJsonString() ?? "null"})");
                    }
                    else
                    {
                        Compare($"{path}.{key}", value, a[key], differences, lenient);
                    }
                }

                differences.AddRange(a.Where(p => !e.ContainsKey(p.Key)).Select(p => $"{path}.{p.Key}: unexpected {p.Value?.ToJsonString() ?? "null"}"));
                return;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    differences.Add($"{path}: {e.Count} items expected, {a.Count} found");
                    return;
                }

                for (var i = 0; i < e.Count; i++)
                {
                    Compare($"{path}[{i}]", e[i], a[i], differences, lenient);
                }

                return;
            case (JsonValue e, JsonValue a) when e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number:
                if (Number(e) != Number(a))
                {
                    differences.Add($"{path}: expected {e.ToJsonString()}, found {a.ToJsonString()}");
                }

                return;
            case (JsonValue e, JsonValue a) when lenient && IsNumeric(e) && IsNumeric(a):
                if (Number(e) != Number(a))
                {
                    differences.Add($"{path}: expected {e.ToJsonString()}, found {a.ToJsonString()}");
                }

                return;
            default:
                if (expected?.ToJsonString() != actual?.ToJsonString())
                {
                    differences.Add($"{path}: expected {expected?.ToJsonString() ?? "null"}, found {actual?.ToJsonString() ?? "null"}");
                }

                return;
        }
    }

    private static decimal Number(JsonValue value) =>
        decimal.Parse(value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool IsNumeric(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.Number
        || (value.GetValueKind() == JsonValueKind.String && decimal.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out _));
}
