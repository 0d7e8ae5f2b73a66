using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// Parses request bodies the way Go's JSON decoder reads them: an escaped lone surrogate (<c>"\ud800"</c>, legal JSON
/// text but no character) becomes U+FFFD instead of a string .NET cannot read later, which turned into a 500 on the
/// first <c>GetValue&lt;string&gt;</c>; a key given twice is refused. Malformed JSON still throws <see cref="System.Text.Json.JsonException"/> (a 400).
/// </summary>
internal static class RequestJson
{
    private const string Replacement = "\\ufffd";

    // A key given twice is refused (a 400) rather than read into an object that throws on first use (it was a 500).
    private static readonly System.Text.Json.JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    public static JsonNode? Parse(string text) => JsonNode.Parse(RepairEscapedSurrogates(text), documentOptions: Options);

    /// <summary>Replaces lone surrogates in a decoded string (from YAML) with U+FFFD, as Go does.</summary>
    public static string RepairSurrogates(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogate(value[i]) && !(char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
            {
                return Repair(value);
            }
            if (char.IsHighSurrogate(value[i]))
            {
                i++;
            }
        }
        return value;

        static string Repair(string value)
        {
            var builder = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(value[i]).Append(value[++i]);
                }
                else
                {
                    builder.Append(char.IsSurrogate(value[i]) ? '\ufffd' : value[i]);
                }
            }
            return builder.ToString();
        }
    }

    /// <summary>The text with every <c>\uXXXX</c> escape of a lone surrogate replaced by <c>\ufffd</c>; the same string when there is none.</summary>
    public static string RepairEscapedSurrogates(string text)
    {
        if (!text.Contains("\\u", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }
        StringBuilder? repaired = null;
        var copied = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] != '\\')
            {
                continue;
            }
            if (text[i + 1] != 'u' || !TryEscape(text, i, out var unit))
            {
                i++;
                continue;
            }
            if (char.IsHighSurrogate(unit) && TryEscape(text, i + 6, out var low) && char.IsLowSurrogate(low))
            {
                i += 11;
                continue;
            }
            if (char.IsSurrogate(unit))
            {
                repaired ??= new StringBuilder(text.Length);
                repaired.Append(text, copied, i - copied).Append(Replacement);
                copied = i + 6;
            }
            i += 5;
        }
        return repaired is null ? text : repaired.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool TryEscape(string text, int at, out char unit)
    {
        unit = '\0';
        if (at + 6 > text.Length || text[at] != '\\' || text[at + 1] != 'u'
            || !ushort.TryParse(text.AsSpan(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        unit = (char)value;
        return true;
    }
}
