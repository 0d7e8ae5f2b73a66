using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Workers;
using static Whetstone.Operator.Rollouts.RolloutPlanner;

namespace Whetstone.Operator.Rollouts;

/// <summary>The load of one scaled unit (a track, or the whole rollout under replicaRatio), as measured.</summary>
/// <param name="InFlight">Requests in flight summed over the unit's pods (30 s average); null when not measured.</param>
/// <param name="P99Ms">P99 request duration in milliseconds over the last minute; null when not measured.</param>
/// <param name="Problem">Why a configured metric could not be read (Prometheus unreachable, no series yet).</param>
public sealed record TrackLoad(double? InFlight, double? P99Ms, string? Problem);

/// <summary>What the autoscaler decided for one unit: its new state and, when the count changed or the load could not be read, an event.</summary>
public sealed record ScaleDecision(TrackScale State, JobEvent? Event);

/// <summary>
/// The serving autoscaler's rule, a pure function of the spec, the unit's state (kept in status) and the measured load:
/// Kubernetes' HorizontalPodAutoscaler formula desired = ceil(current × value / target) for each configured target,
/// the largest wins, no change within a 10 % tolerance, clamped to [minReplicas, maxReplicas]; up at once, down only to
/// the highest recommendation of the stabilization window (so a dip in load does not flap the pods).
/// </summary>
public static class RolloutAutoscaler
{
    /// <summary>The unit name under replicaRatio routing, where both tracks are sized together.</summary>
    public const string AllTracks = "all";

    /// <summary>Ratios within this distance of 1 keep the current count (the HorizontalPodAutoscaler's default).</summary>
    public const double Tolerance = 0.1;

    /// <summary>Recommendations kept in status at most (the oldest are dropped first).</summary>
    public const int RecommendationLimit = 64;

    /// <summary>How often the load is measured (default 15s).</summary>
    public static TimeSpan Interval(ServingAutoscaling autoscaling)
    {
        ArgumentNullException.ThrowIfNull(autoscaling);
        return RolloutDurations.Parse(autoscaling.Interval ?? "15s", "spec.serving.autoscaling.interval");
    }

    /// <summary>The scale-down stabilization window (default 5m).</summary>
    public static TimeSpan Stabilization(ServingAutoscaling autoscaling)
    {
        ArgumentNullException.ThrowIfNull(autoscaling);
        return RolloutDurations.Parse(autoscaling.ScaleDownStabilization ?? "5m", "spec.serving.autoscaling.scaleDownStabilization");
    }

    /// <summary>The first count of a unit: spec.serving.replicas within the bounds, else minReplicas.</summary>
    public static int InitialReplicas(ServingSpec serving)
    {
        ArgumentNullException.ThrowIfNull(serving);
        var autoscaling = serving.Autoscaling!;
        return Math.Clamp(serving.Replicas ?? autoscaling.MinReplicas, autoscaling.MinReplicas, Math.Max(autoscaling.MinReplicas, autoscaling.MaxReplicas));
    }

    /// <summary>Decides one unit's count at <paramref name="now"/> from its previous state and the load just measured.</summary>
    public static ScaleDecision Decide(ServingAutoscaling autoscaling, string unit, TrackScale? previous, int initial, TrackLoad load, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(autoscaling);
        ArgumentNullException.ThrowIfNull(load);
        var current = previous?.Replicas ?? initial;
        var state = (previous ?? new TrackScale { Track = unit }) with
        {
            Replicas = current,
            InFlight = load.InFlight,
            P99Ms = load.P99Ms,
            LastMeasureTime = now,
        };
        var window = Stabilization(autoscaling);
        var recommendations = (previous?.Recommendations ?? []).Where(r => now - r.At <= window).ToList();
        if (previous?.Recommendations is null)
        {
            // The count the unit starts with is the first recommendation, so the first scale-down waits a whole window.
            recommendations.Add(new ScaleRecommendation { At = now, Replicas = current });
        }

        var proposals = Proposals(autoscaling, current, load).ToList();
        if (proposals.Count == 0)
        {
            state.Recommendations = Trim(recommendations);
            state.Message = Text($"{current} pods: the load could not be read ({load.Problem ?? "no data"}); the count stays");
            var warn = previous?.Message is { } before && before.Contains("could not be read", StringComparison.Ordinal) ? null
                : new JobEvent(true, ConditionReasons.AutoscalingMetricUnavailable, Text($"{unit}: {state.Message}"));
            return new ScaleDecision(state, warn);
        }

        var (desired, why) = proposals.MaxBy(p => p.Replicas);
        desired = Math.Clamp(desired, autoscaling.MinReplicas, autoscaling.MaxReplicas);
        recommendations.Add(new ScaleRecommendation { At = now, Replicas = desired });
        state.Recommendations = Trim(recommendations);
        var next = desired >= current ? desired : Math.Min(current, recommendations.Max(r => r.Replicas));
        var bounds = Text($"bounds {autoscaling.MinReplicas}–{autoscaling.MaxReplicas}");
        if (next == current)
        {
            state.Message = desired < current
                ? Text($"{current} pods: {why}, which asks for {desired}; held for the {RolloutDurations.Format(window)} scale-down stabilization window")
                : Text($"{current} pods: {why} ({bounds})");
            return new ScaleDecision(state, null);
        }

        state.Replicas = next;
        state.LastScaleTime = now;
        state.Message = Text($"{next} pods: {why} ({bounds})");
        var up = next > current;
        return new ScaleDecision(state, new JobEvent(false, up ? ConditionReasons.ScaledUp : ConditionReasons.ScaledDown,
            Text($"{unit}: {current} → {next} pods: {why} ({bounds}{(up ? "" : Text($", the highest recommendation of the last {RolloutDurations.Format(window)}"))})")));
    }

    // One proposal per configured target whose value was measured.
    private static IEnumerable<(int Replicas, string Why)> Proposals(ServingAutoscaling autoscaling, int current, TrackLoad load)
    {
        if (autoscaling.TargetInFlightPerReplica is { } target && load.InFlight is { } inFlight && double.IsFinite(inFlight))
        {
            var perPod = inFlight / current;
            var ratio = perPod / target;
            var replicas = Math.Abs(ratio - 1) <= Tolerance ? current : (int)Math.Ceiling(inFlight / target - 1e-9);
            yield return (replicas, Text($"{inFlight:0.#} requests in flight, {perPod:0.#} per pod for a target of {target}"));
        }

        if (autoscaling.TargetP99Ms is { } p99Target && load.P99Ms is { } p99 && double.IsFinite(p99))
        {
            var ratio = p99 / p99Target;
            var replicas = Math.Abs(ratio - 1) <= Tolerance ? current : (int)Math.Ceiling(current * ratio - 1e-9);
            yield return (replicas, p99 == 0 ? "no request in the last minute" : Text($"P99 {p99:0} ms for a target of {p99Target} ms"));
        }
    }

    // Only the window's maximum matters, so a recommendation followed by a later one at least as high can go: what
    // remains falls strictly with time and is bounded by the distinct counts (the limit is a last guard).
    private static List<ScaleRecommendation> Trim(List<ScaleRecommendation> recommendations)
    {
        var kept = new List<ScaleRecommendation>();
        foreach (var r in recommendations)
        {
            kept.RemoveAll(k => k.Replicas <= r.Replicas);
            kept.Add(r);
        }

        return kept.Count <= RecommendationLimit ? kept : kept.Skip(kept.Count - RecommendationLimit).ToList();
    }
}
