using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>
/// Writes a JSON node as block-style YAML, the way a person writes a manifest. Strings and keys are double-quoted with
/// JSON escapes (valid YAML escapes), so every value keeps its type; below <see cref="BlockDepth"/> levels the rest is
/// written in flow style (JSON is YAML), so deep nesting stays small.
/// </summary>
public static partial class YamlText
{
    private const int BlockDepth = 12;
    private static readonly JsonSerializerOptions Raw = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The YAML text of <paramref name="node"/> (an object).</summary>
    public static string Write(JsonObject node)
    {
        var builder = new StringBuilder();
        WriteObject(builder, node, 0);
        return builder.ToString();
    }

    private static void WriteObject(StringBuilder builder, JsonObject node, int depth)
    {
        foreach (var (key, value) in node)
        {
            builder.Append(' ', depth * 2).Append(Flow(JsonValue.Create(key))).Append(':');
            WriteValue(builder, value, depth);
        }
    }

    private static void WriteValue(StringBuilder builder, JsonNode? value, int depth)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } child when depth < BlockDepth:
                builder.Append('\n');
                WriteObject(builder, child, depth + 1);
                return;
            case JsonArray { Count: > 0 } list when depth < BlockDepth:
                builder.Append('\n');
                foreach (var item in list)
                {
                    builder.Append(' ', (depth + 1) * 2).Append('-');
                    if (item is JsonObject { Count: > 0 } entry)
                    {
                        builder.Append('\n');
                        WriteObject(builder, entry, depth + 2);
                    }
                    else
                    {
                        builder.Append(' ').Append(Flow(item)).Append('\n');
                    }
                }
                return;
            default:
                builder.Append(' ').Append(Flow(value)).Append('\n');
                return;
        }
    }

    // JSON writes a character outside the BMP as two \u escapes of its surrogates, which YAML refuses: one \U escape.
    private static string Flow(JsonNode? value) => value is null ? "null" : SurrogatePair().Replace(value.ToJsonString(Raw),
        m => $"\\U{char.ConvertToUtf32((char)Convert.ToInt32(m.Groups[1].Value, 16), (char)Convert.ToInt32(m.Groups[2].Value, 16)):X8}");

    [System.Text.RegularExpressions.GeneratedRegex(@"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")]
    private static partial System.Text.RegularExpressions.Regex SurrogatePair();
}
