namespace Whetstone.Api.V1Alpha1;

/// <summary>GPU time and cost: the estimate written before the job runs and the actual figures after.</summary>
public sealed record CostStatus
{
    /// <summary>Estimated GPU seconds, from the dataset size, model size and hyperparameters.</summary>
    public double? EstimatedGpuSeconds { get; set; }

    /// <summary>GPU seconds used so far (all attempts).</summary>
    public double? GpuSeconds { get; set; }

    /// <summary>Estimated cost: estimatedGpuSeconds × gpuHourPrice / 3600.</summary>
    public double? EstimatedCost { get; set; }

    /// <summary>Actual cost so far: gpuSeconds × gpuHourPrice / 3600.</summary>
    public double? Cost { get; set; }
}
