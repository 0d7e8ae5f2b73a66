namespace Whetstone.Api.Validation;

/// <summary>String length bounds (<c>minLength</c> / <c>maxLength</c>); negative means unset.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute : Attribute
{
    /// <summary>The shortest allowed length, or -1 for none.</summary>
    public int Min { get; set; } = -1;

    /// <summary>The longest allowed length, or -1 for none.</summary>
    public int Max { get; set; } = -1;
}
