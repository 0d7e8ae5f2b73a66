using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whetstone.Schema.Validation;

namespace Whetstone.Schema.Structural;

/// <summary>The schema keywords: which are compiled into the node, which are ignored, which are refused.</summary>
internal sealed partial class SchemaCompiler
{
    /// <summary>Keywords that shape the tree: properties, required, additionalProperties, items, enum, default.</summary>
    private bool CompileStructureKeyword(SchemaNode node, JsonObject schema, string keyword, JsonNode? value, string path, bool correlatable)
    {
        var at = path + "." + keyword;
        switch (keyword)
        {
            case "properties":
                node.Properties = CompileProperties(value, path, correlatable);
                return true;
            case "required":
                node.Required = ReadStringList(value, at);
                return true;
            case "additionalProperties":
                CompileAdditionalProperties(node, value, at, correlatable);
                return true;
            case "items":
                node.Items = value is JsonArray
                    ? Forbid<SchemaNode>(at, "items must be a schema object, not a list of schemas")
                    : CompileNode(value, at, correlatable && IsMapList(schema));
                return true;
            case "enum":
                node.Enum = value is JsonArray values
                    ? values.Select(v => v?.DeepClone()).ToArray()
                    : Invalid<IReadOnlyList<JsonNode?>>(at, value, "must be a list of values");
                return true;
            case "default":
                node.Default = value?.DeepClone();
                return true;
            case "nullable":
                node.Nullable = ReadBool(value, at);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Keywords that bound a value: ranges, lengths, counts, pattern, format.</summary>
    private bool CompileConstraintKeyword(SchemaNode node, string keyword, JsonNode? value, string at)
    {
        switch (keyword)
        {
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
            default: return false;
        }
        return true;
    }

    /// <summary>The <c>x-kubernetes-*</c> extensions.</summary>
    private bool CompileExtensionKeyword(SchemaNode node, string keyword, JsonNode? value, string at)
    {
        switch (keyword)
        {
            case "x-kubernetes-preserve-unknown-fields":
                node.PreserveUnknownFields = ReadBool(value, at);
                if (!node.PreserveUnknownFields) _errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be true or undefined"));
                break;
            case "x-kubernetes-int-or-string": node.IntOrString = ReadBool(value, at); break;
            case "x-kubernetes-embedded-resource": node.EmbeddedResource = ReadBool(value, at); break;
            case "x-kubernetes-list-type": node.ListType = ParseListType(value, at); break;
            case "x-kubernetes-list-map-keys": node.ListMapKeys = ReadStringList(value, at); break;
            case "x-kubernetes-map-type": CheckMapType(value, at); break;
            case "x-kubernetes-validations": break; // compiled once the node's shape is known
            default: return false;
        }
        return true;
    }

    /// <summary>Everything else: documentation is ignored; what kube-apiserver refuses (or we do not support) is an error.</summary>
    private void RejectKeyword(JsonObject schema, string keyword, JsonNode? value, string at)
    {
        switch (keyword)
        {
            case "uniqueItems":
                if (ReadBool(value, at))
                {
                    _errors.Add(KubeFieldErrors.ForbiddenValue(at, "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
                }
                break;
            case "anyOf" when IsIntOrStringAnyOf(schema, value):
                break; // the form generators emit next to x-kubernetes-int-or-string; it says nothing more
            case "description" or "title" or "example" or "externalDocs":
                break;
            case "$ref" or "$schema" or "id" or "oneOf" or "anyOf" or "allOf" or "not" or "patternProperties"
                or "dependencies" or "additionalItems" or "definitions":
                _errors.Add(KubeFieldErrors.ForbiddenValue(at, keyword + " is not supported by Whetstone's schema validator"));
                break;
            default:
                _errors.Add(KubeFieldErrors.ForbiddenValue(at, "unknown schema keyword " + GoText.Quote(keyword)));
                break;
        }
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
                _errors.Add(KubeFieldErrors.ForbiddenValue(at, "additionalProperties cannot be set to false"));
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
            _errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be a valid regular expression, but isn't: " + e.Message));
        }
        catch (NotSupportedException e)
        {
            _errors.Add(KubeFieldErrors.InvalidValue(at, value, "must be a valid regular expression, but isn't: " + e.Message));
        }
    }
}
