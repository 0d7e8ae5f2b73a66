using k8s.Models;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Api;

/// <summary>
/// The status fields every job that runs in worker pods shares: the operator-owned lifecycle (phase, conditions,
/// attempts, worker pod, times, observed generation, message) and the cost. The JSON names are the kinds' own.
/// </summary>
public interface IWorkerJobStatus
{
    /// <summary>Pending, Queued, Running, Succeeded, Failed or Suspended.</summary>
    string? Phase { get; set; }

    /// <summary>The metadata.generation this status describes.</summary>
    long? ObservedGeneration { get; set; }

    /// <summary>The conditions, one per type.</summary>
    IList<V1Condition>? Conditions { get; set; }

    /// <summary>When the first worker pod started.</summary>
    DateTime? StartTime { get; set; }

    /// <summary>When the job reached Succeeded or Failed.</summary>
    DateTime? CompletionTime { get; set; }

    /// <summary>Worker pods started so far.</summary>
    int? Attempts { get; set; }

    /// <summary>Name of the current (or last) worker pod.</summary>
    string? WorkerPod { get; set; }

    /// <summary>A one-line human summary of the current state.</summary>
    string? Message { get; set; }

    /// <summary>Estimated and actual GPU time and cost.</summary>
    CostStatus? Cost { get; set; }

    /// <summary>A shallow copy (the record's own), so a planner never changes an object a cache holds.</summary>
    IWorkerJobStatus Copy();
}
