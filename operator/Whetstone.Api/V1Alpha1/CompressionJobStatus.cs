using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>What the operator and the worker observed of a CompressionJob.</summary>
public sealed record CompressionJobStatus : IWorkerJobStatus
{
    /// <summary>Pending, Queued, Running, Succeeded, Failed or Suspended.</summary>
    [Enum(JobPhases.Pending, JobPhases.Queued, JobPhases.Running, JobPhases.Succeeded, JobPhases.Failed, JobPhases.Suspended)]
    public string? Phase { get; set; }

    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Ready, Succeeded, Failed, Progressing, Degraded, Aligned, with reason and message.</summary>
    [ListMapKeys("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>When the first worker pod started.</summary>
    public DateTime? StartTime { get; set; }

    /// <summary>When the job reached Succeeded or Failed.</summary>
    public DateTime? CompletionTime { get; set; }

    /// <summary>Worker pods started so far (1 on the first try).</summary>
    public int? Attempts { get; set; }

    /// <summary>Name of the current (or last) worker pod.</summary>
    public string? WorkerPod { get; set; }

    /// <summary>One entry per spec step, in order.</summary>
    [Items(Max = 16)]
    public IList<CompressionStepStatus>? Steps { get; set; }

    /// <summary>Original versus compressed.</summary>
    public CompressionResults? Results { get; set; }

    /// <summary>What the job wrote.</summary>
    public CompressionArtifacts? Artifacts { get; set; }

    /// <summary>Estimated and actual GPU time and cost.</summary>
    public CostStatus? Cost { get; set; }

    /// <summary>A one-line human summary of the current state.</summary>
    public string? Message { get; set; }

    /// <inheritdoc />
    IWorkerJobStatus IWorkerJobStatus.Copy() => this with { };
}
