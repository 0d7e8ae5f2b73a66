using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Fail fast when training diverges (reason Diverged).</summary>
public sealed record Divergence
{
    /// <summary>Fail when the training loss exceeds this multiple of its best value so far; NaN or Inf always fails.</summary>
    [Range(Minimum = 1, ExclusiveMinimum = true)]
    [DefaultValue(3.0)]
    public double? MaxLossIncrease { get; set; }
}
