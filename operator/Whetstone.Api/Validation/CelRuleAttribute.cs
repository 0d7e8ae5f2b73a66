namespace Whetstone.Api.Validation;

/// <summary>
/// A cross-field rule (<c>x-kubernetes-validations</c>) written in the CEL subset the embedded API server supports.
/// On a class, <c>self</c> is an object of that class; on a property, <c>self</c> is the property's value.
/// </summary>
/// <param name="rule">The CEL expression; it must evaluate to true for a valid object.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule) : Attribute
{
    /// <summary>The CEL expression.</summary>
    public string Rule { get; } = rule;

    /// <summary>The message shown when the rule fails.</summary>
    public string? Message { get; set; }

    /// <summary>A path relative to <c>self</c> (such as <c>.split</c>) that the error names instead of <c>self</c>.</summary>
    public string? FieldPath { get; set; }

    /// <summary>The cause type reported (<c>FieldValueInvalid</c> when unset).</summary>
    public string? Reason { get; set; }

    /// <summary>Orders several rules on one target; lower first.</summary>
    public int Order { get; set; }
}
