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
            Visit(array[i], items, FieldPath.Index(path, i));
        }
    }
}
