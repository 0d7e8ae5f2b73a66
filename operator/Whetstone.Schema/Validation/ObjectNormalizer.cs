using System.Text.Json.Nodes;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Validation;

/// <summary>
/// The decoding steps kube-apiserver runs before validation, in its order: drop fields the schema does not
/// declare (or report them under strict field validation), drop nulls of non-nullable fields, fill in defaults.
/// Works in place on a node the caller owns.
/// </summary>
internal sealed class ObjectNormalizer
{
    private readonly SchemaValidationOptions _options;
    private readonly List<FieldError> _errors = [];
    private readonly List<string> _warnings = [];

    private ObjectNormalizer(SchemaValidationOptions options) => this._options = options;

    public static NormalizedObject Normalize(JsonNode? value, SchemaNode schema, SchemaValidationOptions options, FieldPath? root = null)
    {
        var normalizer = new ObjectNormalizer(options);
        normalizer.Visit(value, schema, root);
        return new NormalizedObject(value, normalizer._errors, normalizer._warnings);
    }

    private void Visit(JsonNode? value, SchemaNode schema, FieldPath? path)
    {
        switch (value)
        {
            case JsonObject obj when schema.Type is SchemaType.Object or SchemaType.Unspecified:
                VisitObject(obj, schema, path);
                break;
            case JsonArray array when schema.Items is not null:
                VisitArray(array, schema.Items, path);
                break;
        }
    }

    private void VisitObject(JsonObject obj, SchemaNode schema, FieldPath? path)
    {
        if (schema.Type == SchemaType.Object && schema.PrunesUnknownFields)
        {
            PruneUnknownFields(obj, schema, path);
        }
        if (schema.Properties is not null)
        {
            DropNonNullableNulls(obj, schema.Properties);
            if (_options.ApplyDefaults) ApplyDefaults(obj, schema.PropertiesWithDefaults);
        }

        CanonicalizeIntegers(obj, schema);

        // Visiting a child changes the child's contents, never this object's membership, so enumerating is safe.
        foreach (var (name, child) in obj)
        {
            if (child is null || (schema.IsImplicitField(name) && name == "metadata")) continue;
            if (schema.Properties is not null && schema.Properties.TryGetValue(name, out var property))
            {
                Visit(child, property, FieldPath.Property(path, name));
            }
            else if (schema.AdditionalProperties is not null)
            {
                Visit(child, schema.AdditionalProperties, FieldPath.MapKey(path, name));
            }
        }
    }

    private void PruneUnknownFields(JsonObject obj, SchemaNode schema, FieldPath? path)
    {
        List<string>? unknown = null;
        foreach (var (name, _) in obj)
        {
            if ((schema.Properties is null || !schema.Properties.ContainsKey(name)) && !schema.IsImplicitField(name))
            {
                (unknown ??= []).Add(name);
            }
        }
        if (unknown is null) return;
        foreach (var name in unknown)
        {
            var field = FieldPath.Render(FieldPath.Property(path, name));
            if (_options.UnknownFields == UnknownFieldHandling.Reject)
            {
                _errors.Add(KubeFieldErrors.UnknownField(field));
            }
            else
            {
                _warnings.Add("unknown field " + GoText.Quote(field));
            }
            obj.Remove(name);
        }
    }

    /// <summary>
    /// Writes an integral number given in an integer field as an integer: <c>2.0</c>, <c>1e3</c> or <c>1e-400</c> pass the
    /// integer check (as in kube-apiserver, whose decoder reads them as float64 and writes them back as <c>2</c>,
    /// <c>1000</c>, <c>0</c>), and stored as sent they could not be read into an integer by typed clients.
    /// </summary>
    private static void CanonicalizeIntegers(JsonObject obj, SchemaNode schema)
    {
        List<(string Name, long Value)>? integral = null;
        foreach (var (name, child) in obj)
        {
            var property = schema.Properties?.GetValueOrDefault(name) ?? schema.AdditionalProperties;
            if (property is { Type: SchemaType.Integer } or { IntOrString: true } && AsIntegral(child) is { } value)
            {
                (integral ??= []).Add((name, value));
            }
        }
        foreach (var (name, value) in integral ?? [])
        {
            obj[name] = JsonValue.Create(value);
        }
    }

    private static long? AsIntegral(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.Number || JsonNumbers.TryGetInt64(value, out _))
        {
            return null;
        }
        var number = JsonNumbers.GetDouble(value);
        return double.IsFinite(number) && Math.Floor(number) == number && Math.Abs(number) < 9.007199254740992e15 ? (long)number : null;
    }

    private static void DropNonNullableNulls(JsonObject obj, Dictionary<string, SchemaNode> properties)
    {
        List<string>? nulls = null;
        foreach (var (name, child) in obj)
        {
            if (child is null && properties.TryGetValue(name, out var property) && !property.Nullable)
            {
                (nulls ??= []).Add(name);
            }
        }
        if (nulls is null) return;
        foreach (var name in nulls) obj.Remove(name); // a default, if any, fills the gap next
    }

    private static void ApplyDefaults(JsonObject obj, IReadOnlyList<KeyValuePair<string, SchemaNode>> propertiesWithDefaults)
    {
        foreach (var (name, property) in propertiesWithDefaults)
        {
            if (!obj.ContainsKey(name)) obj[name] = property.Default!.DeepClone();
        }
    }

    private void VisitArray(JsonArray array, SchemaNode items, FieldPath? path)
    {
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is null && !items.Nullable && items.Default is not null && _options.ApplyDefaults)
            {
                array[i] = items.Default.DeepClone();
            }
            if (items is { Type: SchemaType.Integer } or { IntOrString: true } && AsIntegral(array[i]) is { } integral)
            {
                array[i] = JsonValue.Create(integral);
            }
            Visit(array[i], items, FieldPath.Index(path, i));
        }
    }
}
