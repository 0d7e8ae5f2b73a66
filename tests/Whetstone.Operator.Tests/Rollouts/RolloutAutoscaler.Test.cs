using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// The serving autoscaler's rule on worked numbers: the HorizontalPodAutoscaler formula per target, the tolerance, the
/// bounds, scale-up at once and scale-down only after the stabilization window.
/// </summary>
public sealed class RolloutAutoscalerTest
{
    private static readonly DateTime T0 = new(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);

    private static ServingAutoscaling InFlight(int target = 4, int min = 1, int max = 5) => new()
    {
        MinReplicas = min, MaxReplicas = max, TargetInFlightPerReplica = target, ScaleDownStabilization = "5m",
    };

    private static TrackLoad Load(double inFlight) => new(inFlight, null, null);

    [Fact]
    public void Load_above_the_target_scales_up_at_once_to_the_ceiling_of_load_over_target()
    {
        var decision = RolloutAutoscaler.Decide(InFlight(), "stable", null, initial: 1, Load(10), T0);

        // 10 requests in flight for 4 per pod: ceil(10 / 4) = 3.
        Assert.Equal(3, decision.State.Replicas);
        Assert.Equal(T0, decision.State.LastScaleTime);
        Assert.Equal((ConditionReasons.ScaledUp, false), (decision.Event!.Reason, decision.Event.Warning));
        Assert.Equal("stable: 1 → 3 pods: 10 requests in flight, 10 per pod for a target of 4 (bounds 1–5)", decision.Event.Message);
    }

    [Fact]
    public void A_ratio_within_ten_percent_of_the_target_keeps_the_count()
    {
        var previous = new TrackScale { Track = "stable", Replicas = 2, Recommendations = [] };

        // 8.6 in flight over 2 pods is 4.3 per pod: 7.5 % above the target of 4, inside the tolerance.
        var kept = RolloutAutoscaler.Decide(InFlight(), "stable", previous, 1, Load(8.6), T0);
        // 9.0 over 2 pods is 4.5 per pod: 12.5 % above, outside it: ceil(9 / 4) = 3.
        var raised = RolloutAutoscaler.Decide(InFlight(), "stable", previous, 1, Load(9.0), T0);

        Assert.Equal((2, (JobEventReason?)null), (kept.State.Replicas, Reason(kept)));
        Assert.Equal((3, new JobEventReason(ConditionReasons.ScaledUp)), (raised.State.Replicas, Reason(raised)));
    }

    [Fact]
    public void The_count_stays_within_the_bounds_whatever_the_load()
    {
        var high = RolloutAutoscaler.Decide(InFlight(max: 5), "canary", null, 1, Load(1000), T0);
        var idle = RolloutAutoscaler.Decide(InFlight(min: 2), "canary", new TrackScale { Track = "canary", Replicas = 3, Recommendations = [] }, 2, Load(0), T0);

        Assert.Equal(5, high.State.Replicas);
        Assert.Contains("1000 requests in flight", high.Event!.Message, StringComparison.Ordinal);
        Assert.Equal(2, idle.State.Replicas);
    }

    [Fact]
    public void A_scale_down_waits_until_every_recommendation_of_the_window_is_lower()
    {
        var autoscaling = InFlight();
        var state = RolloutAutoscaler.Decide(autoscaling, "stable", null, 1, Load(16), T0).State;
        Assert.Equal(4, state.Replicas);

        // The load falls to nothing: every look inside the five-minute window holds 4 pods and says why.
        for (var minute = 1; minute <= 5; minute++)
        {
            var held = RolloutAutoscaler.Decide(autoscaling, "stable", state, 1, Load(0), T0.AddMinutes(minute));
            state = held.State;
            Assert.Equal((4, (JobEventReason?)null), (state.Replicas, Reason(held)));
            Assert.Contains("asks for 1; held for the 5m scale-down stabilization window", state.Message, StringComparison.Ordinal);
        }

        // Once the recommendation of 4 is older than the window, the highest left is 1.
        var lowered = RolloutAutoscaler.Decide(autoscaling, "stable", state, 1, Load(0), T0.AddMinutes(5).AddSeconds(1));

        Assert.Equal(1, lowered.State.Replicas);
        Assert.Equal(ConditionReasons.ScaledDown, lowered.Event!.Reason);
        Assert.Equal("stable: 4 → 1 pods: 0 requests in flight, 0 per pod for a target of 4 (bounds 1–5, the highest recommendation of the last 5m)", lowered.Event.Message);
    }

    [Fact]
    public void A_dip_shorter_than_the_window_does_not_scale_down_and_a_partial_fall_goes_to_the_windows_highest()
    {
        var autoscaling = InFlight();
        var state = RolloutAutoscaler.Decide(autoscaling, "stable", null, 1, Load(16), T0).State;
        state = RolloutAutoscaler.Decide(autoscaling, "stable", state, 1, Load(0), T0.AddMinutes(1)).State;
        state = RolloutAutoscaler.Decide(autoscaling, "stable", state, 1, Load(12), T0.AddMinutes(2)).State;
        Assert.Equal(4, state.Replicas);

        // At 5m30s the 4 of T0 has left the window; 3 (from 12 in flight at 2m) is the highest that remains.
        var lowered = RolloutAutoscaler.Decide(autoscaling, "stable", state, 1, Load(0), T0.AddMinutes(5.5));

        Assert.Equal(3, lowered.State.Replicas);
    }

    [Fact]
    public void A_first_look_with_little_load_does_not_scale_below_the_starting_count_before_a_whole_window()
    {
        var first = RolloutAutoscaler.Decide(InFlight(), "stable", null, initial: 3, Load(0), T0);

        Assert.Equal((3, (JobEventReason?)null), (first.State.Replicas, Reason(first)));
    }

    [Fact]
    public void The_p99_target_scales_by_its_ratio_and_the_larger_of_two_targets_wins()
    {
        var autoscaling = new ServingAutoscaling { MinReplicas = 1, MaxReplicas = 10, TargetInFlightPerReplica = 4, TargetP99Ms = 100 };
        var previous = new TrackScale { Track = "stable", Replicas = 2, Recommendations = [] };

        // In flight asks ceil(6 / 4) = 2; P99 300 ms against 100 asks ceil(2 × 3) = 6.
        var decision = RolloutAutoscaler.Decide(autoscaling, "stable", previous, 1, new TrackLoad(6, 300, null), T0);

        Assert.Equal(6, decision.State.Replicas);
        Assert.Contains("P99 300 ms for a target of 100 ms", decision.Event!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_load_keeps_the_count_and_warns_once()
    {
        var previous = new TrackScale { Track = "canary", Replicas = 3, Recommendations = [] };
        var load = new TrackLoad(null, null, "requests in flight: Prometheus at http://p:9090: connection refused");

        var first = RolloutAutoscaler.Decide(InFlight(), "canary", previous, 1, load, T0);
        var second = RolloutAutoscaler.Decide(InFlight(), "canary", first.State, 1, load, T0.AddSeconds(15));

        Assert.Equal((3, 3), (first.State.Replicas, second.State.Replicas));
        Assert.True(first.Event is { Warning: true, Reason: ConditionReasons.AutoscalingMetricUnavailable }, first.Event?.ToString());
        Assert.Contains("connection refused", first.Event!.Message, StringComparison.Ordinal);
        Assert.Null(second.Event);
    }

    [Fact]
    public void Status_keeps_only_the_recommendations_the_windows_maximum_needs()
    {
        var autoscaling = InFlight(target: 1, max: 1000) with { ScaleDownStabilization = "1h" };
        var state = RolloutAutoscaler.Decide(autoscaling, "stable", null, 1, Load(500), T0).State;
        var loads = new[] { 300, 400, 100, 200, 50, 60, 10 };
        for (var i = 0; i < 200; i++)
        {
            state = RolloutAutoscaler.Decide(autoscaling, "stable", state, 1, Load(loads[i % loads.Length]), T0.AddSeconds(10 * (i + 1))).State;
        }

        // Held at 500 for the hour; what is kept falls strictly with time and ends with the newest recommendation.
        Assert.Equal(500, state.Replicas);
        var kept = state.Recommendations!.Select(r => r.Replicas).ToList();
        Assert.Equal(kept.OrderByDescending(r => r).Distinct(), kept);
        Assert.Equal(500, kept[0]);
        Assert.Equal(loads[199 % loads.Length], kept[^1]);
    }

    private static JobEventReason? Reason(ScaleDecision decision) => decision.Event is { } e ? new JobEventReason(e.Reason) : null;

    private sealed record JobEventReason(string Reason);
}
