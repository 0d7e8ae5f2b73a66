using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>What the operator and the worker observed of a FineTuneJob.</summary>
public sealed record FineTuneJobStatus : IWorkerJobStatus
{
    /// <summary>Pending, Queued, Running, Succeeded, Failed or Suspended.</summary>
    [Enum(JobPhases.Pending, JobPhases.Queued, JobPhases.Running, JobPhases.Succeeded, JobPhases.Failed, JobPhases.Suspended)]
    public string? Phase { get; set; }

    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Ready, Succeeded, Failed, Progressing, Degraded, Suspended, with reason and message.</summary>
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

    /// <summary>How far training has come.</summary>
    public TrainingProgress? Progress { get; set; }

    /// <summary>The latest losses and throughput.</summary>
    public TrainingMetrics? Metrics { get; set; }

    /// <summary>A bounded loss curve (at most 100 points, thinned evenly); the full curve is the lossCurve artifact.</summary>
    [Items(Max = 100)]
    public IList<LossPoint>? LossHistory { get; set; }

    /// <summary>The dataset version used and what cleaning did.</summary>
    public DatasetStatus? Dataset { get; set; }

    /// <summary>What the job wrote.</summary>
    public FineTuneArtifacts? Artifacts { get; set; }

    /// <summary>Estimated and actual GPU time and cost.</summary>
    public CostStatus? Cost { get; set; }

    /// <summary>A one-line human summary of the current state.</summary>
    public string? Message { get; set; }

    /// <inheritdoc />
    IWorkerJobStatus IWorkerJobStatus.Copy() => this with { };
}
