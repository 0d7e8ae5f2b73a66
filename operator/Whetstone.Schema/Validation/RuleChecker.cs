using System.Text.Json.Nodes;
using Whetstone.Schema.Cel;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Validation;

/// <summary>
/// Evaluates <c>x-kubernetes-validations</c> over an object, with <c>self</c> bound to the node each rule is
/// attached to and <c>oldSelf</c> to the correlated node of the stored object on update. Transition rules (those
/// reading <c>oldSelf</c>) run only where an old value exists, as in Kubernetes.
/// </summary>
internal sealed class RuleChecker
{
    private readonly List<FieldError> errors = [];

    public static List<FieldError> Check(JsonNode? value, JsonNode? oldValue, SchemaNode schema, FieldPath? root = null)
    {
        var checker = new RuleChecker();
        checker.Visit(value, oldValue, oldValue is not null, schema, root);
        return checker.errors;
    }

    private void Visit(JsonNode? value, JsonNode? oldValue, bool hasOld, SchemaNode schema, FieldPath? path)
    {
        if (!schema.HasRulesInSubtree || value is null) return;
        if (schema.Rules.Count > 0) EvaluateRules(value, hasOld ? oldValue : null, hasOld && oldValue is not null, schema, path);

        switch (value)
        {
            case JsonObject obj:
                VisitFields(obj, oldValue as JsonObject, schema, path);
                break;
            case JsonArray array when schema.Items is { HasRulesInSubtree: true } items:
                VisitItems(array, oldValue as JsonArray, schema, items, path);
                break;
        }
    }

    private void VisitFields(JsonObject obj, JsonObject? old, SchemaNode schema, FieldPath? path)
    {
        foreach (var (name, child) in obj)
        {
            if (schema.IsImplicitField(name) && name == "metadata") continue;
            JsonNode? oldChild = null;
            var hasOld = old is not null && old.TryGetPropertyValue(name, out oldChild);
            if (schema.Properties is not null && schema.Properties.TryGetValue(name, out var property))
            {
                Visit(child, oldChild, hasOld, property, FieldPath.Property(path, name));
            }
            else if (schema.AdditionalProperties is not null)
            {
                Visit(child, oldChild, hasOld, schema.AdditionalProperties, FieldPath.MapKey(path, name));
            }
        }
    }

    private void VisitItems(JsonArray array, JsonArray? old, SchemaNode schema, SchemaNode items, FieldPath? path)
    {
        // Only map lists correlate items across versions (by their keys); other lists have no old items.
        Dictionary<string, JsonNode?>? oldByKey = null;
        if (old is not null && schema.ListType == ListType.Map)
        {
            oldByKey = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var item in old)
            {
                oldByKey.TryAdd(ItemKey(item, schema.ListMapKeys), item);
            }
        }
        for (var i = 0; i < array.Count; i++)
        {
            JsonNode? oldItem = null;
            var hasOld = oldByKey is not null && oldByKey.TryGetValue(ItemKey(array[i], schema.ListMapKeys), out oldItem);
            Visit(array[i], oldItem, hasOld, items, FieldPath.Index(path, i));
        }
    }

    private static string ItemKey(JsonNode? item, IReadOnlyList<string> keys)
    {
        var fields = new JsonObject();
        if (item is JsonObject obj)
        {
            foreach (var key in keys) fields[key] = obj[key]?.DeepClone();
        }
        return JsonEquality.CanonicalKey(fields);
    }

    private void EvaluateRules(JsonNode value, JsonNode? oldValue, bool hasOld, SchemaNode schema, FieldPath? path)
    {
        var self = CelValues.FromJson(value, schema);
        var oldSelf = hasOld ? CelValues.FromJson(oldValue, schema) : null;
        foreach (var rule in schema.Rules)
        {
            if (rule.IsTransitionRule && !hasOld) continue;
            object? result;
            try
            {
                result = rule.Program.Evaluate(self, oldSelf);
            }
            catch (CelEvaluationException e)
            {
                errors.Add(KubeFieldErrors.InvalidValue(Render(path), GoText.Quote(schema.TypeName), $"{e.Message} evaluating rule: {rule.Rule}"));
                continue;
            }
            if (result is true) continue;
            if (result is not false)
            {
                errors.Add(KubeFieldErrors.InvalidValue(Render(path), GoText.Quote(schema.TypeName),
                    $"rule evaluated to {CelValues.TypeName(result)}, not bool: {rule.Rule}"));
                continue;
            }
            errors.Add(Failure(rule, self, oldSelf, schema, path));
        }
    }

    private static FieldError Failure(ValidationRule rule, object? self, object? oldSelf, SchemaNode schema, FieldPath? path)
    {
        var field = Render(path, rule.FieldPath);
        var detail = Message(rule, self, oldSelf);
        var value = GoText.Quote(schema.TypeName);
        return rule.Reason switch
        {
            KubeFieldErrors.Forbidden => KubeFieldErrors.ForbiddenValue(field, detail),
            KubeFieldErrors.Required => KubeFieldErrors.RequiredValue(field, detail),
            KubeFieldErrors.Duplicate => KubeFieldErrors.DuplicateValue(field, value),
            _ => KubeFieldErrors.InvalidValue(field, value, detail),
        };
    }

    private static string Message(ValidationRule rule, object? self, object? oldSelf)
    {
        if (rule.MessageExpression is not null)
        {
            try
            {
                // As in Kubernetes, a message expression that fails or yields a blank or multi-line string falls
                // back to the fixed message (or the default one) rather than hiding the rule failure.
                if (rule.MessageExpression.Evaluate(self, oldSelf) is string text &&
                    text.Trim().Length > 0 && !text.Contains('\n', StringComparison.Ordinal))
                {
                    return text;
                }
            }
            catch (CelEvaluationException)
            {
            }
        }
        return rule.Message ?? "failed rule: " + rule.Rule;
    }

    private static string Render(FieldPath? path, IReadOnlyList<FieldPathSegment>? suffix = null)
    {
        if (suffix is not null)
        {
            foreach (var segment in suffix)
            {
                path = segment.IsMapKey ? FieldPath.MapKey(path, segment.Name) : FieldPath.Property(path, segment.Name);
            }
        }
        // kube-apiserver prints a nil field path, which is what a rule on the resource root has, as "<nil>".
        return path is null ? "<nil>" : FieldPath.Render(path, mapKeysInBrackets: true);
    }
}
