namespace Whetstone.Api.V1Alpha1;

/// <summary>How far training has come (written by the worker).</summary>
public sealed record TrainingProgress
{
    /// <summary>Current epoch, from 1.</summary>
    public int? Epoch { get; set; }

    /// <summary>Optimizer steps done.</summary>
    public long? Step { get; set; }

    /// <summary>Optimizer steps planned in all epochs.</summary>
    public long? TotalSteps { get; set; }

    /// <summary>step / totalSteps, in percent (0–100).</summary>
    public int? Percent { get; set; }

    /// <summary>Estimated seconds until training ends.</summary>
    public long? EtaSeconds { get; set; }
}
