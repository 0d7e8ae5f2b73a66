using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Schema.Cel;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Validation;

/// <summary>
/// Compiles the <c>x-kubernetes-validations</c> of one schema node: each rule, message expression and field
/// path is checked at compile time so that no rule can silently pass at validation time.
/// </summary>
internal sealed class RuleCompiler
{
    private static readonly string[] Reasons = ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"];

    public IReadOnlyList<ValidationRule> CompileRules(SchemaNode node, JsonNode? json, string path, bool correlatable, List<FieldError> errors)
    {
        if (json is not JsonArray list)
        {
            errors.Add(KubeFieldErrors.InvalidType(path, GoText.Value(json), "must be a list of rules"));
            return [];
        }
        var variables = new CelVariable[] { new("self", node), new("oldSelf", node) };
        var rules = new List<ValidationRule>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            if (CompileRule(node, list[i], at, variables, correlatable, errors) is { } rule) rules.Add(rule);
        }
        return rules;
    }

    private static ValidationRule? CompileRule(SchemaNode node, JsonNode? json, string at, CelVariable[] variables,
        bool correlatable, List<FieldError> errors)
    {
        if (json is not JsonObject entry)
        {
            errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(json), "must be an object with a rule"));
            return null;
        }
        string? rule = null, message = null, messageExpression = null, reason = null, fieldPath = null;
        var errorCount = errors.Count;
        foreach (var (key, value) in entry)
        {
            switch (key)
            {
                case "rule": rule = ReadString(value, $"{at}.rule", errors); break;
                case "message": message = ReadString(value, $"{at}.message", errors); break;
                case "messageExpression": messageExpression = ReadString(value, $"{at}.messageExpression", errors); break;
                case "reason": reason = ReadString(value, $"{at}.reason", errors); break;
                case "fieldPath": fieldPath = ReadString(value, $"{at}.fieldPath", errors); break;
                case "optionalOldSelf":
                    errors.Add(KubeFieldErrors.ForbiddenValue($"{at}.optionalOldSelf", "optionalOldSelf is not supported by Whetstone's CEL subset"));
                    break;
                default:
                    errors.Add(KubeFieldErrors.ForbiddenValue($"{at}.{key}", "unknown field of a validation rule"));
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(rule))
        {
            errors.Add(KubeFieldErrors.RequiredValue($"{at}.rule"));
            return null;
        }
        if (message is not null && (message.Trim().Length == 0 || message.Contains('\n', StringComparison.Ordinal)))
        {
            errors.Add(KubeFieldErrors.InvalidValue($"{at}.message", GoText.Quote(message), "message must be non-empty and must not contain line breaks"));
        }
        if (reason is not null && !Reasons.Contains(reason))
        {
            errors.Add(KubeFieldErrors.UnsupportedValue($"{at}.reason", JsonValue.Create(reason), Reasons));
        }

        var program = CompileExpression(rule, $"{at}.rule", variables, CelResultKind.Bool, errors);
        var messageProgram = messageExpression is null
            ? null
            : CompileExpression(messageExpression, $"{at}.messageExpression", variables, CelResultKind.String, errors);
        var segments = fieldPath is null ? [] : ParseFieldPath(node, fieldPath, $"{at}.fieldPath", errors);

        if (program is not null && program.ReferencedVariables.Contains("oldSelf") && !correlatable)
        {
            errors.Add(KubeFieldErrors.InvalidValue($"{at}.rule", GoText.Quote(rule),
                "oldSelf cannot be used on the uncorrelatable portion of the schema (items of a list that is not x-kubernetes-list-type: map)"));
        }
        if (program is null || errors.Count != errorCount) return null;
        return new ValidationRule(rule.Trim(), program, message, messageProgram, reason ?? KubeFieldErrors.Invalid, segments);
    }

    private static CelProgram? CompileExpression(string expression, string at, CelVariable[] variables,
        CelResultKind expected, List<FieldError> errors)
    {
        try
        {
            return CelProgram.Compile(expression, variables, expected);
        }
        catch (CelCompileException e)
        {
            errors.Add(KubeFieldErrors.InvalidValue(at, GoText.Quote(expression), "compilation failed: " + e.Message));
            return null;
        }
    }

    /// <summary>Parses <c>.a.b['c']</c> and checks that each step names a field the schema can hold.</summary>
    private static List<FieldPathSegment> ParseFieldPath(SchemaNode node, string fieldPath, string at, List<FieldError> errors)
    {
        var segments = new List<FieldPathSegment>();
        var schema = node;
        var position = 0;
        string? problem = null;
        while (position < fieldPath.Length && problem is null)
        {
            string name;
            if (fieldPath[position] == '.')
            {
                var end = position + 1;
                while (end < fieldPath.Length && fieldPath[end] is not ('.' or '[')) end++;
                name = fieldPath[(position + 1)..end];
                position = end;
            }
            else if (fieldPath.AsSpan(position).StartsWith("['"))
            {
                var end = fieldPath.IndexOf("']", position + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    problem = "unterminated ['...'] segment";
                    break;
                }
                name = fieldPath[(position + 2)..end];
                position = end + 2;
            }
            else
            {
                problem = "expected '.field' or \"['field']\" at offset " + position.ToString(CultureInfo.InvariantCulture);
                break;
            }

            if (name.Length == 0)
            {
                problem = "empty field name";
            }
            else if (schema?.Properties is not null && schema.Properties.TryGetValue(name, out var property))
            {
                segments.Add(new FieldPathSegment(name, IsMapKey: false));
                schema = property;
            }
            else if (schema?.AdditionalProperties is not null)
            {
                segments.Add(new FieldPathSegment(name, IsMapKey: true));
                schema = schema.AdditionalProperties;
            }
            else if (schema is null || schema.PreserveUnknownFields)
            {
                segments.Add(new FieldPathSegment(name, IsMapKey: false));
                schema = null;
            }
            else
            {
                problem = $"field {GoText.Quote(name)} is not declared in the schema";
            }
        }
        if (fieldPath.Length == 0) problem = "must not be empty";
        if (problem is not null)
        {
            errors.Add(KubeFieldErrors.InvalidValue(at, GoText.Quote(fieldPath), "fieldPath must be a valid path: " + problem));
        }
        return segments;
    }

    private static string? ReadString(JsonNode? value, string at, List<FieldError> errors)
    {
        if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String) return text.GetValue<string>();
        errors.Add(KubeFieldErrors.InvalidType(at, GoText.Value(value), "must be a string"));
        return null;
    }
}
