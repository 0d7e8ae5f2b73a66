namespace Whetstone.Api.Validation;

/// <summary>The field accepts an integer or a string (<c>x-kubernetes-int-or-string</c>), as quantities do.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IntOrStringAttribute : Attribute;
