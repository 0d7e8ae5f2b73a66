namespace Whetstone.Api.Validation;

/// <summary>The list of scalars is a set (<c>x-kubernetes-list-type: set</c>): items must be unique.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListSetAttribute : Attribute;
