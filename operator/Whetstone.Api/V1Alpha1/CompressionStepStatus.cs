using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>What happened in one compression step (written by the worker).</summary>
public sealed record CompressionStepStatus
{
    /// <summary>prune, distill, quantize or convert.</summary>
    [Enum(CompressionStepNames.Prune, CompressionStepNames.Distill, CompressionStepNames.Quantize, CompressionStepNames.Convert)]
    public string? Name { get; set; }

    /// <summary>Pending, Running, Succeeded or Failed.</summary>
    [Enum(StepPhases.Pending, StepPhases.Running, StepPhases.Succeeded, StepPhases.Failed)]
    public string? Phase { get; set; }

    /// <summary>Figures of the step, by name (sparsity, sizeBytes, distillLoss, …).</summary>
    public IDictionary<string, double>? Metrics { get; set; }

    /// <summary>When the step started.</summary>
    public DateTime? StartTime { get; set; }

    /// <summary>When the step finished.</summary>
    public DateTime? CompletionTime { get; set; }

    /// <summary>Why the step failed, or a short note.</summary>
    public string? Message { get; set; }
}
