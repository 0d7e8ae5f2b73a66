namespace Whetstone.Operator.Rollouts;

/// <summary>A track's Deployment as observed: the version it runs and how many of its pods are ready.</summary>
/// <param name="Version">The <c>whetstone.dev/version</c> label of its pod template; null when it does not exist.</param>
/// <param name="ReadyReplicas">Ready pods running that template.</param>
public sealed record TrackObservation(string? Version, int ReadyReplicas)
{
    /// <summary>No Deployment.</summary>
    public static TrackObservation Missing { get; } = new(null, 0);
}
