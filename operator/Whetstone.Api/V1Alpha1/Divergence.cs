using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Fail fast when training diverges (reason Diverged).</summary>
public sealed record Divergence
{
    /// <summary>The default of <see cref="MaxLossIncrease"/>, the CRD default and the worker's.</summary>
    public const double DefaultMaxLossIncrease = 3.0;

    /// <summary>Fail when the training loss exceeds this multiple of its best value so far; NaN or Inf always fails.</summary>
    [Range(Minimum = 1, ExclusiveMinimum = true)]
    [DefaultValue(DefaultMaxLossIncrease)]
    public double? MaxLossIncrease { get; set; }
}
