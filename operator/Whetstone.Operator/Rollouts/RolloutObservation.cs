using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;

namespace Whetstone.Operator.Rollouts;

/// <summary>What the controller saw of a rollout's world, the planner's input besides the object and the clock.</summary>
/// <param name="StableModel">spec.stable's model resolved (null while it cannot be).</param>
/// <param name="CanaryModel">spec.canary's model resolved (null while it cannot be, see <paramref name="CanaryUnresolved"/>).</param>
/// <param name="CanaryUnresolved">Why the canary's model is not resolved yet.</param>
/// <param name="Evaluation">The referenced EvaluationRun; null when spec.canary has no evaluationRunRef.</param>
/// <param name="Stable">The stable track's Deployment.</param>
/// <param name="Canary">The canary track's Deployment.</param>
/// <param name="Measurements">Measurements taken in this reconcile (empty when no look was due).</param>
/// <param name="Loads">Serving load per autoscaled unit measured in this reconcile (empty when no look was due).</param>
public sealed record RolloutObservation(
    ArtifactRef? StableModel,
    ArtifactRef? CanaryModel,
    string? CanaryUnresolved,
    EvaluationObservation? Evaluation,
    TrackObservation Stable,
    TrackObservation Canary,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyDictionary<string, TrackLoad> Loads)
{
    /// <summary>An observation without autoscaler loads.</summary>
    public RolloutObservation(ArtifactRef? stableModel, ArtifactRef? canaryModel, string? canaryUnresolved, EvaluationObservation? evaluation,
        TrackObservation stable, TrackObservation canary, IReadOnlyList<Measurement> measurements)
        : this(stableModel, canaryModel, canaryUnresolved, evaluation, stable, canary, measurements, new Dictionary<string, TrackLoad>())
    {
    }
}
