using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Schema.Validation;

namespace Whetstone.Schema.Structural;

/// <summary>
/// Turns an <c>openAPIV3Schema</c> JSON object into a tree of <see cref="SchemaNode"/>s, checking that it is
/// structural the way kube-apiserver checks a CRD: every node typed, no <c>$ref</c>/<c>oneOf</c>/..., items for
/// arrays, valid list types, defaults that validate. Errors carry the path of the offending keyword.
/// </summary>
internal sealed class SchemaCompiler(RuleCompiler rules)
{
    private static readonly string[] TypeNames = ["array", "boolean", "integer", "number", "object", "string"];

    private readonly List<FieldError> errors = [];

    public IReadOnlyList<FieldError> Errors => errors;

    /// <summary>Compiles a whole schema; the caller throws when <see cref="Errors"/> is not empty.</summary>
    public SchemaNode CompileRoot(JsonNode? schema, string path)
    {
        var root = CompileNode(schema, path, correlatable: true, isResourceRoot: true);
        if (root.Type != SchemaType.Object && schema is JsonObject)
        {
            errors.Add(KubeFieldErrors.InvalidValue(path + ".type", Quoted(root.TypeName), "must be object at the root"));
        }
        return root;
    }

    /// <param name="correlatable">Whether an old value can be found for this node on update (object fields and
    /// map-list items can; items of other lists cannot), which decides whether transition rules may appear here.</param>
    private SchemaNode CompileNode(JsonNode? json, string path, bool correlatable, bool isResourceRoot = false)
    {
        var node = new SchemaNode { IsResourceRoot = isResourceRoot };
        if (json is not JsonObject schema)
        {
            errors.Add(KubeFieldErrors.InvalidValue(path, json, "must be a schema object"));
            return node;
        }

        var typeText = "";
        foreach (var (keyword, value) in schema)
        {
            var at = path + "." + keyword;
            switch (keyword)
            {
                case "type":
                    typeText = ReadString(value, at) ?? "";
                    node.Type = ParseType(typeText, value, at);
                    break;
                case "properties":
                    node.Properties = CompileProperties(value, path, correlatable);
                    break;
                case "required":
                    node.Required = ReadStringList(value, at);
                    break;
                case "additionalProperties":
                    CompileAdditionalProperties(node, value, at, correlatable);
                    break;
                case "items":
                    node.Items = value is JsonArray
                        ? Forbid<SchemaNode>(at, "items must be a schema object, not a list of schemas")
                        : CompileNode(value, at, correlatable && IsMapList(schema));
                    break;
                case "enum":
                    node.Enum = value is JsonArray values
                        ? values.Select(v => v?.DeepClone()).ToArray()
                        : Invalid<IReadOnlyList<JsonNode?>>(at, value, "must be a list of values");
                    break;
                case "minimum": node.Minimum = ReadNumber(value, at); break;
                case "maximum": node.Maximum = ReadNumber(value, at); break;
                case "exclusiveMinimum": node.ExclusiveMinimum = ReadBool(value, at); break;
                case "exclusiveMaximum": node.ExclusiveMaximum = ReadBool(value, at); break;
                case "multipleOf": node.MultipleOf = ReadPositiveNumber(value, at); break;
                case "minLength": node.MinLength = ReadCount(value, at); break;
                case "maxLength": node.MaxLength = ReadCount(value, at); break;
                case "minItems": node.MinItems = ReadCount(value, at); break;
                case "maxItems": node.MaxItems = ReadCount(value, at); break;
                case "minProperties": node.MinProperties = ReadCount(value, at); break;
                case "maxProperties": node.MaxProperties = ReadCount(value, at); break;
                case "pattern": CompilePattern(node, value, at); break;
                case "format": node.Format = ReadString(value, at); break;
                case "default": node.Default = value?.DeepClone(); break;
                case "nullable": node.Nullable = ReadBool(value, at); break;
                case "x-kubernetes-preserve-unknown-fields":
                    node.PreserveUnknownFields = ReadBool(value, at);
                    if (!node.PreserveUnknownFields) errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be true or undefined"));
                    break;
                case "x-kubernetes-int-or-string": node.IntOrString = ReadBool(value, at); break;
                case "x-kubernetes-embedded-resource": node.EmbeddedResource = ReadBool(value, at); break;
                case "x-kubernetes-list-type": node.ListType = ParseListType(value, at); break;
                case "x-kubernetes-list-map-keys": node.ListMapKeys = ReadStringList(value, at); break;
                case "x-kubernetes-map-type": CheckMapType(value, at); break;
                case "x-kubernetes-validations": break; // compiled below, once the node's shape is known
                case "uniqueItems":
                    if (ReadBool(value, at))
                    {
                        errors.Add(KubeFieldErrors.ForbiddenValue(at, "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
                    }
                    break;
                case "anyOf" when IsIntOrStringAnyOf(schema, value):
                    break; // the form generators emit next to x-kubernetes-int-or-string; it says nothing more
                case "description" or "title" or "example" or "externalDocs":
                    break;
                case "$ref" or "$schema" or "id" or "oneOf" or "anyOf" or "allOf" or "not" or "patternProperties"
                    or "dependencies" or "additionalItems" or "definitions":
                    errors.Add(KubeFieldErrors.ForbiddenValue(at, keyword + " is not supported by Whetstone's schema validator"));
                    break;
                default:
                    errors.Add(KubeFieldErrors.ForbiddenValue(at, "unknown schema keyword " + GoText.Quote(keyword)));
                    break;
            }
        }

        CheckShape(node, typeText, path);
        if (schema.TryGetPropertyValue("x-kubernetes-validations", out var ruleList))
        {
            node.Rules = rules.CompileRules(node, ruleList, path + ".x-kubernetes-validations", correlatable, errors);
        }
        node.HasRulesInSubtree = node.Rules.Count > 0 ||
            node.Properties?.Values.Any(p => p.HasRulesInSubtree) == true ||
            node.AdditionalProperties?.HasRulesInSubtree == true ||
            node.Items?.HasRulesInSubtree == true;
        if (node.Default is not null)
        {
            CheckDefault(node, path + ".default");
        }
        return node;
    }

    private Dictionary<string, SchemaNode>? CompileProperties(JsonNode? value, string path, bool correlatable)
    {
        if (value is not JsonObject properties)
        {
            return Invalid<Dictionary<string, SchemaNode>>(path + ".properties", value, "must be an object of schemas");
        }
        var compiled = new Dictionary<string, SchemaNode>(properties.Count, StringComparer.Ordinal);
        foreach (var (name, property) in properties)
        {
            compiled[name] = CompileNode(property, $"{path}.properties[{name}]", correlatable);
        }
        return compiled;
    }

    private void CompileAdditionalProperties(SchemaNode node, JsonNode? value, string at, bool correlatable)
    {
        if (value is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            if (flag.GetValueKind() == JsonValueKind.False)
            {
                errors.Add(KubeFieldErrors.ForbiddenValue(at, "additionalProperties cannot be set to false"));
            }
            node.AllowsAnyAdditionalProperties = true;
            return;
        }
        node.AdditionalProperties = CompileNode(value, at, correlatable);
    }

    private void CompilePattern(SchemaNode node, JsonNode? value, string at)
    {
        var pattern = ReadString(value, at);
        if (pattern is null) return;
        try
        {
            // Kubernetes evaluates patterns with Go's RE2: linear time, no backreferences or lookaround. The
            // non-backtracking engine has the same guarantees, so a hostile pattern cannot stall the API server.
            node.Pattern = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            node.PatternText = pattern;
        }
        catch (ArgumentException e)
        {
            errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be a valid regular expression, but isn't: " + e.Message));
        }
        catch (NotSupportedException e)
        {
            errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be a valid regular expression, but isn't: " + e.Message));
        }
    }

    private void CheckShape(SchemaNode node, string typeText, string path)
    {
        if (node.IntOrString)
        {
            if (typeText.Length != 0)
            {
                errors.Add(KubeFieldErrors.InvalidValue(path + ".type", Quoted(typeText), "must be empty if x-kubernetes-int-or-string is true"));
            }
        }
        else if (node.Type == SchemaType.Unspecified && !node.PreserveUnknownFields && typeText.Length == 0)
        {
            errors.Add(KubeFieldErrors.RequiredValue(path + ".type", "must not be empty for specified object fields"));
        }

        if (node.Properties is not null && node.AdditionalProperties is not null)
        {
            errors.Add(KubeFieldErrors.ForbiddenValue(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }
        if (node.Type is not SchemaType.Object and not SchemaType.Unspecified &&
            (node.Properties is not null || node.AdditionalProperties is not null))
        {
            errors.Add(KubeFieldErrors.ForbiddenValue(path + ".properties", "must be empty for type " + GoText.Quote(node.TypeName)));
        }
        if (node.Type == SchemaType.Array && node.Items is null)
        {
            errors.Add(KubeFieldErrors.RequiredValue(path + ".items", "must be specified"));
        }
        if (node.Type is not SchemaType.Array and not SchemaType.Unspecified && node.Items is not null)
        {
            errors.Add(KubeFieldErrors.ForbiddenValue(path + ".items", "must be empty for type " + GoText.Quote(node.TypeName)));
        }
        if (node.EmbeddedResource && node.Type != SchemaType.Object)
        {
            errors.Add(KubeFieldErrors.InvalidValue(path + ".type", Quoted(node.TypeName), "must be object if x-kubernetes-embedded-resource is true"));
        }
        foreach (var name in node.Required)
        {
            if (node.Properties is null || !node.Properties.ContainsKey(name))
            {
                if (!node.PreserveUnknownFields && node.AdditionalProperties is null && !node.IsImplicitField(name))
                {
                    errors.Add(KubeFieldErrors.InvalidValue(path + ".required", Quoted(name), "must be one of the declared properties"));
                }
            }
        }
        CheckListType(node, path);
    }

    private void CheckListType(SchemaNode node, string path)
    {
        if (node.ListType != ListType.Atomic && node.Type != SchemaType.Array)
        {
            errors.Add(KubeFieldErrors.InvalidValue(path + ".x-kubernetes-list-type", Quoted(node.ListType.ToString().ToLowerInvariant()), "must only be used for arrays"));
            return;
        }
        if (node.ListType != ListType.Map)
        {
            if (node.ListMapKeys.Count > 0)
            {
                errors.Add(KubeFieldErrors.ForbiddenValue(path + ".x-kubernetes-list-map-keys", "must be empty if x-kubernetes-list-type is not map"));
            }
            if (node.ListType == ListType.Set && node.Items is { Type: SchemaType.Object or SchemaType.Array })
            {
                errors.Add(KubeFieldErrors.InvalidValue(path + ".items.type", Quoted(node.Items.TypeName), "must be a scalar type if x-kubernetes-list-type is set"));
            }
            return;
        }
        if (node.ListMapKeys.Count == 0)
        {
            errors.Add(KubeFieldErrors.RequiredValue(path + ".x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
        }
        if (node.Items is null) return;
        if (node.Items.Type != SchemaType.Object)
        {
            errors.Add(KubeFieldErrors.InvalidValue(path + ".items.type", Quoted(node.Items.TypeName), "must be object if x-kubernetes-list-type is map"));
            return;
        }
        foreach (var key in node.ListMapKeys)
        {
            var keySchema = node.Items.Properties?.GetValueOrDefault(key);
            if (keySchema is null)
            {
                errors.Add(KubeFieldErrors.InvalidValue(path + ".x-kubernetes-list-map-keys", Quoted(key), "entries must all be names of item properties"));
            }
            else if (keySchema.Type is SchemaType.Object or SchemaType.Array)
            {
                errors.Add(KubeFieldErrors.InvalidValue($"{path}.items.properties[{key}].type", Quoted(keySchema.TypeName), "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            }
            else if (!node.Items.Required.Contains(key) && keySchema.Default is null)
            {
                errors.Add(KubeFieldErrors.RequiredValue($"{path}.items.required", $"all map keys must be required or have a default value, but {GoText.Quote(key)} is neither"));
            }
        }
    }

    private void CheckDefault(SchemaNode node, string at)
    {
        // Kubernetes rejects a CRD whose default would itself fail validation; we check it with the same passes
        // objects go through (rooted at "default" so messages read "default in body should be ..."), so a default
        // can never produce an invalid object.
        var root = FieldPath.Property(FieldPath.Root, "default");
        var value = node.Default!.DeepClone();
        var normalized = ObjectNormalizer.Normalize(value, node, new SchemaValidationOptions(UnknownFieldHandling.Reject), root);
        var problems = normalized.Errors.Concat(SchemaChecker.Check(normalized.Value, node, root)).ToList();
        if (problems.Count == 0 && node.HasRulesInSubtree)
        {
            problems.AddRange(RuleChecker.Check(normalized.Value, null, node, root));
        }
        foreach (var problem in problems)
        {
            var below = problem.Field.StartsWith("default", StringComparison.Ordinal) ? problem.Field["default".Length..] : "";
            errors.Add(problem with { Field = at + below });
        }
    }

    private static bool IsMapList(JsonObject schema) =>
        schema["x-kubernetes-list-type"] is JsonValue listType && listType.GetValueKind() == JsonValueKind.String &&
        listType.GetValue<string>() == "map";

    private static bool IsIntOrStringAnyOf(JsonObject schema, JsonNode? anyOf) =>
        schema["x-kubernetes-int-or-string"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True &&
        anyOf is JsonArray options && options.All(o => o is JsonObject option && option.Count == 1 &&
            option["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String &&
            type.GetValue<string>() is "integer" or "string");

    private SchemaType ParseType(string text, JsonNode? value, string at) => text switch
    {
        "object" => SchemaType.Object,
        "array" => SchemaType.Array,
        "string" => SchemaType.String,
        "integer" => SchemaType.Integer,
        "number" => SchemaType.Number,
        "boolean" => SchemaType.Boolean,
        "" => SchemaType.Unspecified,
        _ => Unsupported(at, value, TypeNames, SchemaType.Unspecified),
    };

    private ListType ParseListType(JsonNode? value, string at) => ReadString(value, at) switch
    {
        "atomic" or null => ListType.Atomic,
        "set" => ListType.Set,
        "map" => ListType.Map,
        _ => Unsupported(at, value, ["atomic", "set", "map"], ListType.Atomic),
    };

    private void CheckMapType(JsonNode? value, string at)
    {
        if (ReadString(value, at) is { } text && text is not "granular" and not "atomic")
        {
            Unsupported(at, value, ["granular", "atomic"], 0);
        }
    }

    private T Unsupported<T>(string at, JsonNode? value, IEnumerable<string> supported, T fallback)
    {
        errors.Add(KubeFieldErrors.UnsupportedValue(at, value, supported));
        return fallback;
    }

    private T? Invalid<T>(string at, JsonNode? value, string detail) where T : class
    {
        errors.Add(KubeFieldErrors.InvalidValue(at, value, detail));
        return null;
    }

    private T? Forbid<T>(string at, string detail) where T : class
    {
        errors.Add(KubeFieldErrors.ForbiddenValue(at, detail));
        return null;
    }

    private string? ReadString(JsonNode? value, string at)
    {
        if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String) return text.GetValue<string>();
        errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a string"));
        return null;
    }

    private bool ReadBool(JsonNode? value, string at)
    {
        if (value is JsonValue flag && flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return flag.GetValueKind() == JsonValueKind.True;
        }
        errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a boolean"));
        return false;
    }

    private double? ReadNumber(JsonNode? value, string at)
    {
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number) return JsonNumbers.GetDouble(number);
        errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a number"));
        return null;
    }

    private double? ReadPositiveNumber(JsonNode? value, string at)
    {
        var number = ReadNumber(value, at);
        if (number is <= 0)
        {
            errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be positive"));
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
        errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be a non-negative integer"));
        return null;
    }

    private IReadOnlyList<string> ReadStringList(JsonNode? value, string at)
    {
        if (value is not JsonArray list)
        {
            errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a list of strings"));
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
