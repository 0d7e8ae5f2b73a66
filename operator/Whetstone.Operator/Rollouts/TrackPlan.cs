using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Rollouts;

/// <summary>What one track's Deployment should run.</summary>
/// <param name="Track">stable or canary.</param>
/// <param name="Version">The version it serves (label and <c>WHETSTONE_MODEL_VERSION</c>).</param>
/// <param name="Model">The model it loads.</param>
/// <param name="Replicas">Pods wanted (0 scales the track down).</param>
public sealed record TrackPlan(string Track, string Version, ArtifactRef Model, int Replicas);
