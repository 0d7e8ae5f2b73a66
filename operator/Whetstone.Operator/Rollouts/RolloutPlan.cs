using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Rollouts;

/// <summary>What <see cref="RolloutPlanner"/> decided: the status to persist, the children's desired state, and more.</summary>
/// <param name="Status">The new status (the controller writes it only when it differs).</param>
/// <param name="Stable">The stable Deployment; null while spec.stable's model is unresolved.</param>
/// <param name="Canary">The canary Deployment; null before the canary's model is resolved.</param>
/// <param name="CanaryWeight">Percent of traffic the route sends to the canary.</param>
/// <param name="ConsumedAnnotations">Annotations to remove from the object (handled or refused, each with an event).</param>
/// <param name="Events">Events to record.</param>
/// <param name="RequeueAfter">When to look again regardless of events.</param>
public sealed record RolloutPlan(
    ModelRolloutStatus Status,
    TrackPlan? Stable,
    TrackPlan? Canary,
    int CanaryWeight,
    IReadOnlyList<string> ConsumedAnnotations,
    IReadOnlyList<JobEvent> Events,
    TimeSpan? RequeueAfter);
