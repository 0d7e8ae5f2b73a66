namespace Whetstone.Api.Validation;

/// <summary>Numeric bounds: <c>minimum</c> / <c>maximum</c>, optionally exclusive. Unset bounds are NaN.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute : Attribute
{
    /// <summary>The lower bound, or NaN for none.</summary>
    public double Minimum { get; set; } = double.NaN;

    /// <summary>The upper bound, or NaN for none.</summary>
    public double Maximum { get; set; } = double.NaN;

    /// <summary>True when the value must be strictly greater than <see cref="Minimum"/>.</summary>
    public bool ExclusiveMinimum { get; set; }

    /// <summary>True when the value must be strictly less than <see cref="Maximum"/>.</summary>
    public bool ExclusiveMaximum { get; set; }
}
