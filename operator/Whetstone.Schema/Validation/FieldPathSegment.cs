namespace Whetstone.Schema.Validation;

/// <summary>One step of a rule's <c>fieldPath</c>: a property (<c>.name</c>) or a map key (<c>['key']</c>).</summary>
internal sealed record FieldPathSegment(string Name, bool IsMapKey);
