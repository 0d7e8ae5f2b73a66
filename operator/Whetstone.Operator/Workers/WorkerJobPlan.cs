using k8s.Models;

namespace Whetstone.Operator.Workers;

/// <summary>What one reconcile of a worker job decided: computed purely, then carried out by the controller.</summary>
/// <typeparam name="TStatus">The kind's status type.</typeparam>
/// <param name="Status">The status to persist (operator-owned fields; worker-owned ones carried over).</param>
/// <param name="PodToCreate">A worker pod for a new attempt.</param>
/// <param name="PodsToDelete">Worker pods to stop.</param>
/// <param name="DeleteJob">Delete the job itself (time to live after finishing).</param>
/// <param name="RequeueAfter">Look again after this long even without an event.</param>
/// <param name="Events">Events to record.</param>
/// <param name="NeedsPreflight">
/// The plan would start the first worker pod of a generation but has no preflight verdict: the controller gathers one
/// and plans again; nothing else in this plan is carried out.
/// </param>
public sealed record WorkerJobPlan<TStatus>(
    TStatus Status,
    V1Pod? PodToCreate,
    IReadOnlyList<string> PodsToDelete,
    bool DeleteJob,
    TimeSpan? RequeueAfter,
    IReadOnlyList<JobEvent> Events,
    bool NeedsPreflight = false);
