namespace Whetstone.Operator.Rollouts.Reports;

/// <summary>What Prometheus measured for one track over a rollout attempt; null where a query gave no number.</summary>
/// <param name="Track">stable or canary.</param>
/// <param name="Version">The version the track served.</param>
/// <param name="Requests">Inference requests.</param>
/// <param name="Errors">Requests with outcome error.</param>
/// <param name="Attempts">North-star attempts.</param>
/// <param name="Successes">North-star successes.</param>
/// <param name="P99Seconds">99th percentile request duration.</param>
public sealed record TrackFigures(string Track, string? Version, double? Requests, double? Errors, double? Attempts, double? Successes, double? P99Seconds);
