using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Schema.Validation;

namespace Whetstone.Schema.Structural;

/// <summary>Structural checks on a compiled node, as kube-apiserver makes them on a CRD.</summary>
internal sealed partial class SchemaCompiler
{
    private void CheckShape(SchemaNode node, string typeText, string path)
    {
        if (node.IntOrString)
        {
            if (typeText.Length != 0)
            {
                _errors.Add(KubeFieldErrors.InvalidValue(path + ".type", Quoted(typeText), "must be empty if x-kubernetes-int-or-string is true"));
            }
        }
        else if (node.Type == SchemaType.Unspecified && !node.PreserveUnknownFields && typeText.Length == 0)
        {
            _errors.Add(KubeFieldErrors.RequiredValue(path + ".type", "must not be empty for specified object fields"));
        }

        if (node.Properties is not null && node.AdditionalProperties is not null)
        {
            _errors.Add(KubeFieldErrors.ForbiddenValue(path + ".additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }
        if (node.Type is not SchemaType.Object and not SchemaType.Unspecified &&
            (node.Properties is not null || node.AdditionalProperties is not null))
        {
            _errors.Add(KubeFieldErrors.ForbiddenValue(path + ".properties", "must be empty for type " + GoText.Quote(node.TypeName)));
        }
        if (node.Type == SchemaType.Array && node.Items is null)
        {
            _errors.Add(KubeFieldErrors.RequiredValue(path + ".items", "must be specified"));
        }
        if (node.Type is not SchemaType.Array and not SchemaType.Unspecified && node.Items is not null)
        {
            _errors.Add(KubeFieldErrors.ForbiddenValue(path + ".items", "must be empty for type " + GoText.Quote(node.TypeName)));
        }
        if (node.EmbeddedResource && node.Type != SchemaType.Object)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(path + ".type", Quoted(node.TypeName), "must be object if x-kubernetes-embedded-resource is true"));
        }
        foreach (var name in node.Required)
        {
            if (node.Properties is null || !node.Properties.ContainsKey(name))
            {
                if (!node.PreserveUnknownFields && node.AdditionalProperties is null && !node.IsImplicitField(name))
                {
                    _errors.Add(KubeFieldErrors.InvalidValue(path + ".required", Quoted(name), "must be one of the declared properties"));
                }
            }
        }
        CheckListType(node, path);
    }

    private void CheckListType(SchemaNode node, string path)
    {
        if (node.ListType != ListType.Atomic && node.Type != SchemaType.Array)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(path + ".x-kubernetes-list-type", Quoted(node.ListType.ToString().ToLowerInvariant()), "must only be used for arrays"));
            return;
        }
        if (node.ListType != ListType.Map)
        {
            if (node.ListMapKeys.Count > 0)
            {
                _errors.Add(KubeFieldErrors.ForbiddenValue(path + ".x-kubernetes-list-map-keys", "must be empty if x-kubernetes-list-type is not map"));
            }
            if (node.ListType == ListType.Set && node.Items is { Type: SchemaType.Object or SchemaType.Array })
            {
                _errors.Add(KubeFieldErrors.InvalidValue(path + ".items.type", Quoted(node.Items.TypeName), "must be a scalar type if x-kubernetes-list-type is set"));
            }
            return;
        }
        if (node.ListMapKeys.Count == 0)
        {
            _errors.Add(KubeFieldErrors.RequiredValue(path + ".x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
        }
        if (node.Items is null) return;
        if (node.Items.Type != SchemaType.Object)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(path + ".items.type", Quoted(node.Items.TypeName), "must be object if x-kubernetes-list-type is map"));
            return;
        }
        foreach (var key in node.ListMapKeys)
        {
            var keySchema = node.Items.Properties?.GetValueOrDefault(key);
            if (keySchema is null)
            {
                _errors.Add(KubeFieldErrors.InvalidValue(path + ".x-kubernetes-list-map-keys", Quoted(key), "entries must all be names of item properties"));
            }
            else if (keySchema.Type is SchemaType.Object or SchemaType.Array)
            {
                _errors.Add(KubeFieldErrors.InvalidValue($"{path}.items.properties[{key}].type", Quoted(keySchema.TypeName), "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            }
            else if (!node.Items.Required.Contains(key) && keySchema.Default is null)
            {
                _errors.Add(KubeFieldErrors.RequiredValue($"{path}.items.required", $"all map keys must be required or have a default value, but {GoText.Quote(key)} is neither"));
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
            _errors.Add(problem with { Field = at + below });
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
}
