using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Prices used to estimate a job's cost before it runs and to report the actual cost after.</summary>
public sealed record CostSettings
{
    /// <summary>Price of one GPU hour, in the team's currency.</summary>
    [Range(Minimum = 0)]
    public double? GpuHourPrice { get; set; }
}
