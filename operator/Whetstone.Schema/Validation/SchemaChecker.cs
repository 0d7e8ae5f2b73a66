using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Validation;

/// <summary>
/// The OpenAPI value validation kube-apiserver runs on custom resources (kube-openapi's validator plus the
/// list-type checks), with errors worded as it words them: <c>spec.epochs in body should be greater than or
/// equal to 1</c>.
/// </summary>
internal sealed partial class SchemaChecker
{
    private readonly List<FieldError> _errors = [];

    /// <param name="root">The path of <paramref name="value"/> itself: none for a resource, <c>default</c> for a default.</param>
    /// <param name="oldValue">On update with ratcheting, the stored object: values equal to their old value are not
    /// checked again, so an update is not refused for what it did not change (kube-apiserver's validation ratcheting).</param>
    public static List<FieldError> Check(JsonNode? value, SchemaNode schema, FieldPath? root = null, JsonNode? oldValue = null)
    {
        var checker = new SchemaChecker();
        checker.CheckValue(value, schema, root, oldValue is null ? OldValue.None : OldValue.Of(oldValue));
        return checker._errors;
    }

    private void CheckValue(JsonNode? value, SchemaNode schema, FieldPath? path, OldValue old)
    {
        if (old.IsUnchanged(value)) return;
        if (value is null)
        {
            if (!schema.Nullable && (schema.Type != SchemaType.Unspecified || schema.IntOrString))
            {
                TypeMismatch(path, schema, "null");
            }
            return;
        }

        var kind = KindOf(value);
        if (!TypeMatches(schema, kind, value))
        {
            TypeMismatch(path, schema, kind);
            return;
        }
        if (schema.Enum is not null && !schema.Enum.Any(member => JsonEquality.DeepEquals(member, value)))
        {
            _errors.Add(KubeFieldErrors.UnsupportedValue(Render(path), value, schema.Enum.Select(GoText.EnumText)));
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, old);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, old);
                break;
            case JsonValue scalar when kind == "string":
                CheckString(scalar.GetValue<string>(), scalar, schema, path);
                break;
            case JsonValue scalar when kind is "integer" or "number":
                CheckNumber(scalar, schema, path);
                break;
        }
    }

    private void CheckObject(JsonObject obj, SchemaNode schema, FieldPath? path, OldValue old)
    {
        CheckCount(obj.Count, schema.MinProperties, schema.MaxProperties, "properties", path);
        foreach (var name in schema.Required)
        {
            if (!obj.ContainsKey(name))
            {
                _errors.Add(KubeFieldErrors.RequiredValue(Render(FieldPath.Property(path, name))));
            }
        }
        if (schema.IsResourceRoot || schema.EmbeddedResource)
        {
            CheckResourceFields(obj, schema, path);
        }

        foreach (var (name, child) in obj)
        {
            if (schema.IsImplicitField(name) && (schema.Properties is null || !schema.Properties.ContainsKey(name) || name == "metadata"))
            {
                continue;
            }
            if (schema.Properties is not null && schema.Properties.TryGetValue(name, out var property))
            {
                CheckValue(child, property, FieldPath.Property(path, name), old.Field(name));
            }
            else if (schema.AdditionalProperties is not null)
            {
                CheckValue(child, schema.AdditionalProperties, FieldPath.MapKey(path, name), old.Field(name));
            }
        }
    }

    /// <summary>apiVersion, kind and metadata of a resource or an embedded resource, which the schema need not declare.</summary>
    private void CheckResourceFields(JsonObject obj, SchemaNode schema, FieldPath? path)
    {
        if (obj.TryGetPropertyValue("metadata", out var metadata) && metadata is not null and not JsonObject)
        {
            var metadataPath = FieldPath.Property(path, "metadata");
            var kind = KindOf(metadata);
            _errors.Add(KubeFieldErrors.InvalidType(Render(metadataPath), GoText.Quote(kind),
                $"{Render(metadataPath)} in body must be of type object: {GoText.Quote(kind)}"));
        }
        if (!schema.EmbeddedResource) return;
        foreach (var name in (ReadOnlySpan<string>)["apiVersion", "kind"])
        {
            var fieldPath = FieldPath.Property(path, name);
            if (!obj.TryGetPropertyValue(name, out var field) || field is null ||
                (field is JsonValue text && text.GetValueKind() == JsonValueKind.String && text.GetValue<string>().Length == 0))
            {
                _errors.Add(KubeFieldErrors.RequiredValue(Render(fieldPath), "must not be empty"));
            }
            else if (field is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                var kind = KindOf(field);
                _errors.Add(KubeFieldErrors.InvalidType(Render(fieldPath), GoText.Quote(kind),
                    $"{Render(fieldPath)} in body must be of type string: {GoText.Quote(kind)}"));
            }
        }
    }

    private void CheckArray(JsonArray array, SchemaNode schema, FieldPath? path, OldValue old)
    {
        CheckCount(array.Count, schema.MinItems, schema.MaxItems, "items", path);
        if (schema.Items is not null)
        {
            var oldItem = old.Items(schema);
            for (var i = 0; i < array.Count; i++)
            {
                CheckValue(array[i], schema.Items, FieldPath.Index(path, i), oldItem(array[i]));
            }
        }
        switch (schema.ListType)
        {
            case ListType.Set:
                CheckUniqueItems(array, path, item => item);
                break;
            case ListType.Map:
                CheckUniqueItems(array, path, item => KeyFields(item, schema.ListMapKeys));
                break;
        }
    }

    /// <summary>min/maxItems and min/maxProperties: too many is "Too many", too few an invalid value.</summary>
    private void CheckCount(int count, long? min, long? max, string noun, FieldPath? path)
    {
        if (max is { } most && count > most)
        {
            _errors.Add(KubeFieldErrors.TooManyItems(Render(path), count, most));
        }
        if (min is { } least && count < least)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(Render(path), Integer(count), In(path, $"should have at least {least} {noun}")));
        }
    }

    private void CheckUniqueItems(JsonArray array, FieldPath? path, Func<JsonNode?, JsonNode?> identity)
    {
        if (array.Count < 2) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var key = identity(array[i]);
            if (!seen.Add(JsonEquality.CanonicalKey(key)))
            {
                _errors.Add(KubeFieldErrors.DuplicateValue(Render(FieldPath.Index(path, i)), GoText.Value(key)));
            }
        }
    }

    private static JsonObject KeyFields(JsonNode? item, IReadOnlyList<string> keys)
    {
        var fields = new JsonObject();
        if (item is not JsonObject obj) return fields;
        foreach (var key in keys)
        {
            if (obj.TryGetPropertyValue(key, out var value)) fields[key] = value?.DeepClone();
        }
        return fields;
    }

    private void CheckString(string text, JsonValue value, SchemaNode schema, FieldPath? path)
    {
        if (schema.MaxLength is not null || schema.MinLength is not null)
        {
            // Kubernetes counts characters (runes), not UTF-16 units or bytes.
            var length = CountRunes(text);
            if (schema.MaxLength is { } maxLength && length > maxLength)
            {
                _errors.Add(KubeFieldErrors.TooLongValue(Render(path), maxLength));
            }
            if (schema.MinLength is { } minLength && length < minLength)
            {
                _errors.Add(KubeFieldErrors.InvalidValue(Render(path), value, In(path, $"should be at least {minLength} chars long")));
            }
        }
        if (schema.Pattern is not null && !schema.Pattern.IsMatch(text))
        {
            _errors.Add(KubeFieldErrors.InvalidValue(Render(path), value, In(path, $"should match '{schema.PatternText}'")));
        }
        if (schema.Format == "date-time" && !IsDateTime(text))
        {
            _errors.Add(KubeFieldErrors.InvalidType(Render(path), GoText.Quote(text),
                In(path, "must be of type date-time: " + GoText.Quote(text))));
        }
    }

    private void CheckNumber(JsonValue value, SchemaNode schema, FieldPath? path)
    {
        if (schema.Minimum is null && schema.Maximum is null && schema.MultipleOf is null) return;
        var number = JsonNumbers.GetDouble(value);
        if (schema.Maximum is { } maximum && (schema.ExclusiveMaximum ? number >= maximum : number > maximum))
        {
            var relation = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
            _errors.Add(KubeFieldErrors.InvalidValue(Render(path), value, In(path, $"should be {relation} {GoText.Float(maximum)}")));
        }
        if (schema.Minimum is { } minimum && (schema.ExclusiveMinimum ? number <= minimum : number < minimum))
        {
            var relation = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            _errors.Add(KubeFieldErrors.InvalidValue(Render(path), value, In(path, $"should be {relation} {GoText.Float(minimum)}")));
        }
        if (schema.MultipleOf is { } factor && !IsMultiple(number, factor))
        {
            _errors.Add(KubeFieldErrors.InvalidValue(Render(path), value, In(path, $"should be a multiple of {GoText.Float(factor)}")));
        }
    }

    private static bool IsMultiple(double number, double factor)
    {
        // kube-openapi divides the other way round for factors below one, which keeps 0.3/0.1-style cases exact.
        var quotient = factor < 1 ? 1 / factor * number : number / factor;
        return Math.Abs(quotient - Math.Round(quotient)) < 1e-9 * Math.Max(1, Math.Abs(quotient));
    }

    private void TypeMismatch(FieldPath? path, SchemaNode schema, string actualKind)
    {
        var expected = schema.IntOrString ? "integer,string" : schema.TypeName;
        var quotedKind = GoText.Quote(actualKind);
        _errors.Add(KubeFieldErrors.InvalidType(Render(path), quotedKind, In(path, $"must be of type {expected}: {quotedKind}")));
    }

    private static bool TypeMatches(SchemaNode schema, string kind, JsonNode value)
    {
        if (schema.IntOrString)
        {
            return kind is "string" or "integer" || (kind == "number" && IsIntegral((JsonValue)value));
        }
        return schema.Type switch
        {
            SchemaType.Unspecified => true,
            SchemaType.Integer => kind == "integer" || (kind == "number" && IsIntegral((JsonValue)value)),
            SchemaType.Number => kind is "number" or "integer",
            _ => kind == schema.TypeName,
        };
    }

    private static bool IsIntegral(JsonValue value)
    {
        var number = JsonNumbers.GetDouble(value);
        return double.IsFinite(number) && Math.Floor(number) == number && Math.Abs(number) < 9.007199254740992e15;
    }

    /// <summary>The JSON type of a value as kube-openapi names it in messages.</summary>
    public static string KindOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue scalar => scalar.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => JsonNumbers.TryGetInt64(scalar, out _) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static int CountRunes(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    private static bool IsDateTime(string text) =>
        DateTimeShape().IsMatch(text) &&
        DateTimeOffset.TryParse(text.Replace(' ', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeShape();

    private static string Render(FieldPath? path) => FieldPath.Render(path);

    private static string In(FieldPath? path, string detail) => $"{Render(path)} in body {detail}";

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
