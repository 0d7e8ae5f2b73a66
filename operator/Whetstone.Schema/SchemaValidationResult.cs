using System.Text.Json.Nodes;

namespace Whetstone.Schema;

/// <summary>The outcome of validating one object.</summary>
/// <param name="Object">A new node: the input with defaults applied and unknown fields pruned.</param>
/// <param name="Errors">Every validation failure; empty when the object is valid.</param>
/// <param name="Warnings">Non-fatal notes, e.g. <c>unknown field "spec.foo"</c> for each pruned field.</param>
public sealed record SchemaValidationResult(JsonNode Object, IReadOnlyList<FieldError> Errors,
                                            IReadOnlyList<string> Warnings)
{
    /// <summary>True when there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;
}
