namespace Whetstone.Api.Validation;

/// <summary>Numeric bounds on each item of a list of numbers.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemRangeAttribute : Attribute
{
    /// <summary>The lower bound of each item, or NaN for none.</summary>
    public double Minimum { get; set; } = double.NaN;

    /// <summary>The upper bound of each item, or NaN for none.</summary>
    public double Maximum { get; set; } = double.NaN;
}
