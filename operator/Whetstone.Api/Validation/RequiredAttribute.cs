namespace Whetstone.Api.Validation;

/// <summary>The field must be present; listed in its object's <c>required</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;
