using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Schema.Validation;

namespace Whetstone.Schema.Structural;

/// <summary>Reading keyword values, recording an error for a value of the wrong kind.</summary>
internal sealed partial class SchemaCompiler
{
    private T Unsupported<T>(string at, JsonNode? value, IEnumerable<string> supported, T fallback)
    {
        _errors.Add(KubeFieldErrors.UnsupportedValue(at, value, supported));
        return fallback;
    }

    private T? Invalid<T>(string at, JsonNode? value, string detail) where T : class
    {
        _errors.Add(KubeFieldErrors.InvalidValue(at, value, detail));
        return null;
    }

    private T? Forbid<T>(string at, string detail) where T : class
    {
        _errors.Add(KubeFieldErrors.ForbiddenValue(at, detail));
        return null;
    }

    private string? ReadString(JsonNode? value, string at)
    {
        if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String) return text.GetValue<string>();
        _errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a string"));
        return null;
    }

    private bool ReadBool(JsonNode? value, string at)
    {
        if (value is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return flag.GetValueKind() == JsonValueKind.True;
        }
        _errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a boolean"));
        return false;
    }

    private double? ReadNumber(JsonNode? value, string at)
    {
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number) return JsonNumbers.GetDouble(number);
        _errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a number"));
        return null;
    }

    private double? ReadPositiveNumber(JsonNode? value, string at)
    {
        var number = ReadNumber(value, at);
        if (number is <= 0)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be positive"));
            return null;
        }
        return number;
    }

    private long? ReadCount(JsonNode? value, string at)
    {
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number &&
            JsonNumbers.TryGetInt64(number, out var count) && count >= 0)
        {
            return count;
        }
        _errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be a non-negative integer"));
        return null;
    }

    private IReadOnlyList<string> ReadStringList(JsonNode? value, string at)
    {
        if (value is not JsonArray list)
        {
            _errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a list of strings"));
            return [];
        }
        var result = new List<string>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            if (ReadString(list[i], string.Create(CultureInfo.InvariantCulture, $"{at}[{i}]")) is { } item) result.Add(item);
        }
        return result;
    }

    private static string Quoted(string text) => GoText.Quote(text);
}
