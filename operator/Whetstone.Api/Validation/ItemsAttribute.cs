namespace Whetstone.Api.Validation;

/// <summary>List (or map) size bounds: <c>minItems</c> / <c>maxItems</c> (<c>minProperties</c> / <c>maxProperties</c> on maps); negative means unset.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute : Attribute
{
    /// <summary>The fewest allowed items, or -1 for none.</summary>
    public int Min { get; set; } = -1;

    /// <summary>The most allowed items, or -1 for none.</summary>
    public int Max { get; set; } = -1;
}
