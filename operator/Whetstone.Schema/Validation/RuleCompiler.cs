using System.Text.Json.Nodes;
using Whetstone.Schema.Structural;

namespace Whetstone.Schema.Validation;

/// <summary>Compiles the <c>x-kubernetes-validations</c> of one schema node.</summary>
internal sealed class RuleCompiler
{
    public void CompileRules(SchemaNode node, JsonNode? rules, string path, List<FieldError> errors)
    {
        _ = node;
        _ = rules;
        // Rules are not evaluated yet: refuse them rather than let them pass silently.
        errors.Add(KubeFieldErrors.ForbiddenValue(path, "x-kubernetes-validations rules are not supported yet"));
    }
}
