using Whetstone.Schema.Cel;

namespace Whetstone.Schema.Validation;

/// <summary>One compiled <c>x-kubernetes-validations</c> entry.</summary>
/// <param name="Rule">The rule's source text, for messages.</param>
/// <param name="Program">The compiled rule; it must evaluate to true.</param>
/// <param name="Message">The fixed message, when given.</param>
/// <param name="MessageExpression">An expression producing the message, when given.</param>
/// <param name="Reason">The Kubernetes cause type reported on failure (FieldValueInvalid unless given).</param>
/// <param name="FieldPath">Where the error points below the node (<c>fieldPath</c>), as path segments.</param>
internal sealed record ValidationRule(
    string Rule,
    CelProgram Program,
    string? Message,
    CelProgram? MessageExpression,
    string Reason,
    IReadOnlyList<FieldPathSegment> FieldPath)
{
    /// <summary>A rule reading <c>oldSelf</c> runs only on update, when an old value exists at this node.</summary>
    public bool IsTransitionRule => Program.ReferencedVariables.Contains("oldSelf");
}
