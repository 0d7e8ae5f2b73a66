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
    private readonly List<FieldError> _errors = [];
    private readonly bool _ratchet;

    private RuleChecker(bool ratchet) => this._ratchet = ratchet;

    /// <param name="ratchet">Skip rules that do not read <c>oldSelf</c> where the value equals the old one.</param>
    public static List<FieldError> Check(JsonNode? value, JsonNode? oldValue, SchemaNode schema, FieldPath? root = null, bool ratchet = false)
    {
        var checker = new RuleChecker(ratchet);
        checker.Visit(value, oldValue is null ? OldValue.None : OldValue.Of(oldValue), schema, root);
        return checker._errors;
    }

    private void Visit(JsonNode? value, OldValue old, SchemaNode schema, FieldPath? path)
    {
        if (!schema.HasRulesInSubtree || value is null) return;
        if (schema.Rules.Count > 0) EvaluateRules(value, old, schema, path);

        switch (value)
        {
            case JsonObject obj:
                VisitFields(obj, old, schema, path);
                break;
            case JsonArray array when schema.Items is { HasRulesInSubtree: true } items:
                var oldItem = old.Items(schema);
                for (var i = 0; i < array.Count; i++)
                {
                    Visit(array[i], oldItem(array[i]), items, FieldPath.Index(path, i));
                }
                break;
        }
    }

    private void VisitFields(JsonObject obj, OldValue old, SchemaNode schema, FieldPath? path)
    {
        foreach (var (name, child) in obj)
        {
            if (schema.IsImplicitField(name) && name == "metadata") continue;
            if (schema.Properties is not null && schema.Properties.TryGetValue(name, out var property))
            {
                Visit(child, old.Field(name), property, FieldPath.Property(path, name));
            }
            else if (schema.AdditionalProperties is not null)
            {
                Visit(child, old.Field(name), schema.AdditionalProperties, FieldPath.MapKey(path, name));
            }
        }
    }

    private void EvaluateRules(JsonNode value, OldValue old, SchemaNode schema, FieldPath? path)
    {
        var hasOld = old.Exists && old.Value is not null;
        var self = CelValues.FromJson(value, schema);
        var oldSelf = hasOld ? CelValues.FromJson(old.Value, schema) : null;
        var unchanged = _ratchet && old.IsUnchanged(value);
        foreach (var rule in schema.Rules)
        {
            if (rule.IsTransitionRule ? !hasOld : unchanged) continue;
            object? result;
            try
            {
                result = rule.Program.Evaluate(self, oldSelf);
            }
            catch (Exception e) when (e is CelEvaluationException or CelCostLimitExceededException)
            {
                _errors.Add(KubeFieldErrors.InvalidValue(Render(path), GoText.Quote(schema.TypeName), $"{e.Message} evaluating rule: {rule.Rule}"));
                continue;
            }
            if (result is true) continue;
            if (result is not false)
            {
                _errors.Add(KubeFieldErrors.InvalidValue(Render(path), GoText.Quote(schema.TypeName),
                    $"rule evaluated to {CelValues.TypeName(result)}, not bool: {rule.Rule}"));
                continue;
            }
            _errors.Add(Failure(rule, self, oldSelf, schema, path));
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
            catch (Exception e) when (e is CelEvaluationException or CelCostLimitExceededException)
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
