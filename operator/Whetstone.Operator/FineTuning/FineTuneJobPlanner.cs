using k8s.Models;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.FineTuning;

/// <summary>The worker-job lifecycle (<see cref="WorkerJobPlanner{TJob, TStatus}"/>) applied to FineTuneJob.</summary>
public static class FineTuneJobPlanner
{
    /// <summary>Plans one reconcile of a FineTuneJob.</summary>
    public static WorkerJobPlan<FineTuneJobStatus> Plan(FineTuneJob job, IReadOnlyList<V1Pod> pods, ReferenceState references, PreflightVerdict preflight, DateTime now,
        WorkerOptions options) =>
        WorkerJobPlanner<FineTuneJob, FineTuneJobStatus>.Plan(job, pods, references, preflight, now, options, FineTuneJobKind.Instance);
}
