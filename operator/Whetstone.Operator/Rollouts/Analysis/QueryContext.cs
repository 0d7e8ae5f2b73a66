namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>The values of a query's placeholders (see <see cref="QueryTemplate"/>).</summary>
/// <param name="Rollout">The ModelRollout's name.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Track">The track, in compare queries.</param>
/// <param name="Version">That track's version, in compare queries.</param>
/// <param name="Window">Time since the analysis started.</param>
public sealed record QueryContext(string Rollout, string Namespace, string? Track, string? Version, TimeSpan Window);
