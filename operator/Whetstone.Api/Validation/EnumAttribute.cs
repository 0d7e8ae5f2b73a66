namespace Whetstone.Api.Validation;

/// <summary>A string field must be one of these values (<c>enum</c>).</summary>
/// <param name="values">The allowed values, in the order the schema lists them.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumAttribute(params string[] values) : Attribute
{
    /// <summary>The allowed values.</summary>
    public IReadOnlyList<string> Values { get; } = values;
}
