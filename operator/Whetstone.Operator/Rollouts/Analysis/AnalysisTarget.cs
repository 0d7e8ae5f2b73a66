namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>What an analysis measures: a rollout, its track versions, and how long its analysis has run.</summary>
/// <param name="Rollout">The ModelRollout's name.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="StableVersion">The stable track's version.</param>
/// <param name="CanaryVersion">The canary track's version.</param>
/// <param name="Window">Time since the analysis (re)started, for <c>{{window}}</c>.</param>
public sealed record AnalysisTarget(string Rollout, string Namespace, string StableVersion, string CanaryVersion, TimeSpan Window)
{
    /// <summary>The placeholder values for <paramref name="track"/> (null for a threshold query).</summary>
    public QueryContext Context(string? track) => new(
        Rollout, Namespace, track, track switch { Whetstone.Api.Tracks.Stable => StableVersion, Whetstone.Api.Tracks.Canary => CanaryVersion, _ => null }, Window);
}
