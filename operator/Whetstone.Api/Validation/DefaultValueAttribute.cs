namespace Whetstone.Api.Validation;

/// <summary>The value the API server fills in when the field is absent (<c>default</c>).</summary>
/// <param name="value">A string, integer, floating point or boolean constant.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultValueAttribute(object value) : Attribute
{
    /// <summary>The default value.</summary>
    public object Value { get; } = value;
}
