using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Whetstone.LocalCluster.Tables;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*]</c>,
/// <c>.a[?(@.type=="Ready")].status</c>. Returns every match.
/// </summary>
internal static partial class SimpleJsonPath
{
    [GeneratedRegex("""\.([A-Za-z0-9_\-$]+)|\[(\d+|\*)\]|\[\?\(@\.([A-Za-z0-9_\-]+)\s*==\s*["']([^"']*)["']\)\]|\['([^']+)'\]""")]
    private static partial Regex Segment();

    public static IReadOnlyList<JsonNode> Evaluate(JsonNode root, string path)
    {
        var expression = path.Trim();
        if (expression.StartsWith('{') && expression.EndsWith('}'))
        {
            expression = expression[1..^1];
        }
        if (expression.StartsWith('$'))
        {
            expression = expression[1..];
        }
        List<JsonNode> current = [root];
        foreach (Match match in Segment().Matches(expression))
        {
            var next = new List<JsonNode>();
            foreach (var node in current)
            {
                if (match.Groups[1].Success || match.Groups[5].Success)
                {
                    var key = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[5].Value;
                    if (node is JsonObject o && o[key] is { } child)
                    {
                        next.Add(child);
                    }
                }
                else if (match.Groups[2].Success && node is JsonArray array)
                {
                    if (match.Groups[2].Value == "*")
                    {
                        next.AddRange(array.OfType<JsonNode>());
                    }
                    else if (int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) is var i && i < array.Count && array[i] is { } item)
                    {
                        next.Add(item);
                    }
                }
                else if (match.Groups[3].Success && node is JsonArray filtered)
                {
                    var field = match.Groups[3].Value;
                    var expected = match.Groups[4].Value;
                    next.AddRange(filtered.OfType<JsonObject>().Where(e => e[field] is JsonValue v && v.ToString() == expected));
                }
            }
            current = next;
        }
        return current;
    }
}
