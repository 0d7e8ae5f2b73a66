using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whetstone.Schema;

/// <summary>
/// Formats values the way Go's <c>fmt</c> does, because kube-apiserver's messages are built with it and users
/// (and tests elsewhere) compare our messages with what a real cluster prints.
/// </summary>
internal static class GoText
{
    /// <summary>Go's <c>strconv.Quote</c>: double quotes, escapes for control characters, quotes and backslashes.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                    {
                        builder.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (rune.Value != ' ' && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                             or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                             or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                    {
                        builder.Append(rune.Value <= 0xffff ? "\\u" : "\\U")
                            .Append(rune.Value.ToString(rune.Value <= 0xffff ? "x4" : "x8", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(rune.ToString());
                    }
                    break;
            }
        }
        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>Go's <c>%v</c> of a float64: shortest round-trip digits, exponent form below 1e-4 or from 1e6.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "+Inf";
        if (double.IsNegativeInfinity(value)) return "-Inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";

        // "R" gives the shortest round-trip digits; lay them out as strconv.FormatFloat(v, 'g', -1, 64) does.
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, pointPosition) = DigitsOf(shortest);
        var exponent = pointPosition - 1;
        var sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6)
        {
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            var exponentText = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{exponentText}";
        }
        if (pointPosition <= 0) return sign + "0." + new string('0', -pointPosition) + digits;
        if (pointPosition >= digits.Length) return sign + digits + new string('0', pointPosition - digits.Length);
        return sign + digits[..pointPosition] + "." + digits[pointPosition..];
    }

    /// <summary>Splits a .NET number text ("1.5E-05", "123.25") into significant digits and the point's position.</summary>
    private static (string Digits, int PointPosition) DigitsOf(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point >= 0 ? text[..point] : text;
        var fraction = point >= 0 ? text[(point + 1)..] : "";
        var digits = (integerPart + fraction).TrimStart('0');
        var leadingZeros = (integerPart + fraction).Length - digits.Length;
        var pointPosition = integerPart.Length - leadingZeros + exponent;
        digits = digits.TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, pointPosition);
    }

    /// <summary>
    /// Formats a bad value the way <c>field.Error</c> does: integers and floats plainly, strings quoted,
    /// null as <c>"null"</c>, objects and arrays as JSON.
    /// </summary>
    public static string Value(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return Quote("null");
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String: return Quote(value.GetValue<string>());
                    case JsonValueKind.True: return "true";
                    case JsonValueKind.False: return "false";
                    case JsonValueKind.Number:
                        return JsonNumbers.TryGetInt64(value, out var integer)
                            ? integer.ToString(CultureInfo.InvariantCulture)
                            : Float(JsonNumbers.GetDouble(value));
                    default: return Quote("null");
                }
            default:
                return node.ToJsonString();
        }
    }

    /// <summary>An enum value as <c>field.NotSupported</c> lists it: strings raw, anything else as JSON.</summary>
    public static string EnumText(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : node?.ToJsonString() ?? "null";
}
