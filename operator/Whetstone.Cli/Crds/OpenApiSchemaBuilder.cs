using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Cli.Crds;

/// <summary>
/// Builds structural OpenAPI v3 schemas from the API types: property names as the serializer writes them, types,
/// descriptions from the XML docs, and the validation attributes written next to each field.
/// </summary>
internal sealed class OpenApiSchemaBuilder(XmlDocumentation docs)
{
    /// <summary>The schema of an object type: its properties (sorted by name), required list and CEL rules.</summary>
    public JsonObject ObjectSchema(Type type)
    {
        var schema = new JsonObject();
        AddDescription(schema, docs.Summary(type));
        schema["type"] = "object";
        var properties = new JsonObject();
        var required = new List<string>();
        foreach (var (name, property) in SerializedProperties(type))
        {
            properties[name] = PropertySchema(property);
            if (property.IsDefined(typeof(RequiredAttribute)))
            {
                required.Add(name);
            }
        }

        if (properties.Count > 0)
        {
            schema["properties"] = properties;
        }

        if (required.Count > 0)
        {
            schema["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        }

        AddRules(schema, type.GetCustomAttributes<CelRuleAttribute>(inherit: true));
        return schema;
    }

    /// <summary>The public settable properties the serializer writes, by their JSON name, sorted by name.</summary>
    public static IEnumerable<(string Name, PropertyInfo Property)> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0 && !p.IsDefined(typeof(JsonIgnoreAttribute)))
            .Select(p => (JsonName(p), p))
            .OrderBy(p => p.Item1, StringComparer.Ordinal);

    /// <summary>The name the serializer writes for a property: its JsonPropertyName, else camelCase.</summary>
    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private JsonObject PropertySchema(PropertyInfo property)
    {
        var description = docs.Summary(property)
            ?? throw new InvalidOperationException($"{property.DeclaringType!.Name}.{property.Name} has no XML doc summary; every API field needs one");
        var type = Unwrap(property.PropertyType);
        var schema = TypeSchema(type, property);
        schema.Remove("description");
        var ordered = new JsonObject();
        AddDescription(ordered, description);
        foreach (var (key, value) in schema.ToList())
        {
            schema.Remove(key);
            ordered[key] = value;
        }

        AddRules(ordered, property.GetCustomAttributes<CelRuleAttribute>());
        return ordered;
    }

    private JsonObject TypeSchema(Type type, PropertyInfo property)
    {
        if (ElementType(type) is { } element)
        {
            return ArraySchema(element, property);
        }

        if (DictionaryValueType(type) is { } value)
        {
            var map = new JsonObject { ["type"] = "object", ["additionalProperties"] = ScalarOrObject(value, null) };
            AddItemCounts(map, property, "minProperties", "maxProperties");
            return map;
        }

        var schema = ScalarOrObject(type, property);
        AddDefault(schema, property);
        return schema;
    }

    private JsonObject ArraySchema(Type element, PropertyInfo property)
    {
        var items = ScalarOrObject(Unwrap(element), property);
        var schema = new JsonObject { ["type"] = "array", ["items"] = items };
        AddItemCounts(schema, property, "minItems", "maxItems");
        if (property.IsDefined(typeof(ListSetAttribute)))
        {
            schema["x-kubernetes-list-type"] = "set";
        }

        if (property.GetCustomAttribute<ListMapKeysAttribute>() is { } mapKeys)
        {
            // Kubernetes rejects a map list whose keys may be absent: each key must be a required item field.
            var required = (items["required"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
            if (mapKeys.Keys.FirstOrDefault(k => !required.Contains(k)) is { } optionalKey)
            {
                throw new InvalidOperationException(
                    $"{property.DeclaringType!.Name}.{property.Name}: list-map key '{optionalKey}' must be a required field of the items");
            }

            schema["x-kubernetes-list-map-keys"] = new JsonArray(mapKeys.Keys.Select(k => (JsonNode)k).ToArray());
            schema["x-kubernetes-list-type"] = "map";
        }

        return schema;
    }

    // For a list property, the scalar constraints (enum, pattern, length, item range) describe each item.
    private JsonObject ScalarOrObject(Type type, PropertyInfo? property)
    {
        if (type == typeof(V1Condition))
        {
            return KubernetesSchemas.Condition();
        }

        if (type == typeof(V1Toleration))
        {
            return KubernetesSchemas.Toleration();
        }

        if (type == typeof(V1ObjectMeta))
        {
            return new JsonObject { ["type"] = "object" };
        }

        if (type == typeof(ResourceQuantity))
        {
            if (property?.IsDefined(typeof(IntOrStringAttribute)) != true)
            {
                throw new InvalidOperationException($"{property?.Name}: quantities must be marked [IntOrString]");
            }

            var quantity = new JsonObject { ["x-kubernetes-int-or-string"] = true };
            AddStringConstraints(quantity, property);
            return quantity;
        }

        var openApiType = OpenApiType(type);
        if (openApiType is null)
        {
            return ObjectSchema(type);
        }

        var schema = new JsonObject { ["type"] = openApiType };
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            schema["format"] = "date-time";
        }

        if (property is not null)
        {
            AddNumericConstraints(schema, property, openApiType);
            AddStringConstraints(schema, property);
        }

        return schema;
    }

    private static string? OpenApiType(Type type) => type switch
    {
        _ when type == typeof(string) || type == typeof(DateTime) || type == typeof(DateTimeOffset) => "string",
        _ when type == typeof(int) || type == typeof(long) => "integer",
        _ when type == typeof(double) || type == typeof(float) => "number",
        _ when type == typeof(bool) => "boolean",
        _ => null,
    };

    private static void AddNumericConstraints(JsonObject schema, PropertyInfo property, string openApiType)
    {
        if (openApiType is not ("integer" or "number"))
        {
            return;
        }

        var isItem = ElementType(Unwrap(property.PropertyType)) is not null;
        double minimum, maximum;
        bool exclusiveMinimum = false, exclusiveMaximum = false;
        if (isItem)
        {
            var itemRange = property.GetCustomAttribute<ItemRangeAttribute>();
            (minimum, maximum) = itemRange is null ? (double.NaN, double.NaN) : (itemRange.Minimum, itemRange.Maximum);
        }
        else
        {
            var range = property.GetCustomAttribute<RangeAttribute>();
            if (range is null)
            {
                return;
            }

            (minimum, maximum, exclusiveMinimum, exclusiveMaximum) = (range.Minimum, range.Maximum, range.ExclusiveMinimum, range.ExclusiveMaximum);
        }

        if (!double.IsNaN(maximum))
        {
            schema["maximum"] = Number(maximum);
            if (exclusiveMaximum)
            {
                schema["exclusiveMaximum"] = true;
            }
        }

        if (!double.IsNaN(minimum))
        {
            schema["minimum"] = Number(minimum);
            if (exclusiveMinimum)
            {
                schema["exclusiveMinimum"] = true;
            }
        }
    }

    private static void AddStringConstraints(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<EnumAttribute>() is { } allowed)
        {
            schema["enum"] = new JsonArray(allowed.Values.Select(v => (JsonNode)v).ToArray());
        }

        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            if (length.Max >= 0)
            {
                schema["maxLength"] = length.Max;
            }

            if (length.Min >= 0)
            {
                schema["minLength"] = length.Min;
            }
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            schema["pattern"] = pattern.Regex;
        }
    }

    private static void AddItemCounts(JsonObject schema, PropertyInfo property, string minKey, string maxKey)
    {
        if (property.GetCustomAttribute<ItemsAttribute>() is not { } items)
        {
            return;
        }

        if (items.Max >= 0)
        {
            schema[maxKey] = items.Max;
        }

        if (items.Min >= 0)
        {
            schema[minKey] = items.Min;
        }
    }

    private static void AddDefault(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<DefaultValueAttribute>() is not { } attribute)
        {
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        schema["default"] = (attribute.Value, type) switch
        {
            (string s, "string") => JsonValue.Create(s),
            (bool b, "boolean") => JsonValue.Create(b),
            (int or long, "integer") => JsonValue.Create(Convert.ToInt64(attribute.Value, System.Globalization.CultureInfo.InvariantCulture)),
            (int or long or double, "number") => Number(Convert.ToDouble(attribute.Value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => throw new InvalidOperationException(
                $"{property.DeclaringType!.Name}.{property.Name}: default {attribute.Value} does not fit type {type}"),
        };
    }

    private static void AddRules(JsonObject schema, IEnumerable<CelRuleAttribute> rules)
    {
        var validations = schema["x-kubernetes-validations"] as JsonArray ?? [];
        foreach (var rule in rules.OrderBy(r => r.Order).ThenBy(r => r.Rule, StringComparer.Ordinal))
        {
            var validation = new JsonObject();
            if (rule.FieldPath is not null)
            {
                validation["fieldPath"] = rule.FieldPath;
            }

            if (rule.Message is not null)
            {
                validation["message"] = rule.Message;
            }

            if (rule.Reason is not null)
            {
                validation["reason"] = rule.Reason;
            }

            validation["rule"] = rule.Rule;
            validations.Add(validation);
        }

        if (validations.Count > 0 && validations.Parent is null)
        {
            schema["x-kubernetes-validations"] = validations;
        }
    }

    private static void AddDescription(JsonObject schema, string? description)
    {
        if (!string.IsNullOrEmpty(description))
        {
            schema["description"] = description;
        }
    }

    private static JsonValue Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || DictionaryValueType(type) is not null)
        {
            return null;
        }

        return type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
                ? type.GetGenericArguments()[0]
                : null;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        if (dictionary is null)
        {
            return null;
        }

        var arguments = dictionary.GetGenericArguments();
        return arguments[0] == typeof(string)
            ? arguments[1]
            : throw new InvalidOperationException($"{type}: map keys must be strings");
    }
}
