using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>What the operator and the worker observed of an EvaluationRun.</summary>
public sealed record EvaluationRunStatus : IWorkerJobStatus
{
    /// <summary>Pending, Queued, Running, Succeeded, Failed or Suspended.</summary>
    [Enum(JobPhases.Pending, JobPhases.Queued, JobPhases.Running, JobPhases.Succeeded, JobPhases.Failed, JobPhases.Suspended)]
    public string? Phase { get; set; }

    /// <summary>The metadata.generation this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Ready, Succeeded, Failed, Progressing, GatesPassed, with reason and message.</summary>
    [ListMapKeys("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>When the first worker pod started.</summary>
    public DateTime? StartTime { get; set; }

    /// <summary>When the run reached Succeeded or Failed.</summary>
    public DateTime? CompletionTime { get; set; }

    /// <summary>Worker pods started so far (1 on the first try).</summary>
    public int? Attempts { get; set; }

    /// <summary>Name of the current (or last) worker pod.</summary>
    public string? WorkerPod { get; set; }

    /// <summary>Passed when every gate passed, else Failed; set when the run Succeeded.</summary>
    [Enum(Verdicts.Passed, Verdicts.Failed)]
    public string? Verdict { get; set; }

    /// <summary>Every measured metric, per suite.</summary>
    public IList<SuiteScore>? Scores { get; set; }

    /// <summary>The outcome of each gate.</summary>
    public IList<GateResult>? Gates { get; set; }

    /// <summary>What the contamination check found.</summary>
    public ContaminationResult? Contamination { get; set; }

    /// <summary>The report.</summary>
    public EvaluationReport? Report { get; set; }

    /// <summary>Estimated and actual GPU time and cost.</summary>
    public CostStatus? Cost { get; set; }

    /// <summary>A one-line human summary of the current state.</summary>
    public string? Message { get; set; }

    /// <inheritdoc />
    IWorkerJobStatus IWorkerJobStatus.Copy() => this with { };
}
