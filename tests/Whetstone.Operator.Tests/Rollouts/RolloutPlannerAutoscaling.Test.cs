using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>The autoscaler inside the planner: which units are sized, where the counts go, and that status carries them.</summary>
public sealed class RolloutPlannerAutoscalingTest
{
    private static void Autoscaled(ModelRolloutSpec spec, int min = 1, int max = 4, int target = 2) =>
        spec.Serving!.Autoscaling = new ServingAutoscaling { MinReplicas = min, MaxReplicas = max, TargetInFlightPerReplica = target, Interval = "15s" };

    [Fact]
    public void Under_gateway_routing_each_track_is_sized_by_its_own_load_and_the_count_reaches_its_Deployment()
    {
        var scenario = new RolloutScenario(spec => Autoscaled(spec));

        // Before any look: spec.serving.replicas (2) seeds both tracks, and a look is due at once.
        var first = scenario.Reconcile();
        Assert.Equal((2, 2), (first.Stable!.Replicas, first.Canary!.Replicas));
        Assert.Equal([Tracks.Stable, Tracks.Canary], RolloutPlanner.UnitsToMeasure(scenario.Rollout, scenario.Now));

        scenario.Loads[Tracks.Stable] = new TrackLoad(7, null, null);
        scenario.Loads[Tracks.Canary] = new TrackLoad(1, null, null);
        var plan = scenario.Reconcile();

        // Stable: ceil(7 / 2) = 4 at once. Canary: asks for 1, held at 2 for the stabilization window.
        Assert.Equal((4, 2), (plan.Stable!.Replicas, plan.Canary!.Replicas));
        var up = Assert.Single(plan.Events, e => e.Reason == ConditionReasons.ScaledUp);
        Assert.StartsWith("stable: 2 → 4 pods: 7 requests in flight", up.Message, StringComparison.Ordinal);
        Assert.Equal([(Tracks.Canary, 2), (Tracks.Stable, 4)], scenario.Status.Autoscaling!.Select(s => (s.Track, s.Replicas ?? 0)));

        // The next look is one interval after this one, and the plan comes back for it.
        Assert.Empty(RolloutPlanner.UnitsToMeasure(scenario.Rollout, scenario.Now.AddSeconds(14)));
        Assert.Equal(2, RolloutPlanner.UnitsToMeasure(scenario.Rollout, scenario.Now.AddSeconds(15)).Count);
        Assert.True(plan.RequeueAfter <= TimeSpan.FromSeconds(15), $"requeue {plan.RequeueAfter}");

        // A reconcile without a look (an event woke it) keeps the counts: they live in status, not in memory.
        scenario.Advance(TimeSpan.FromSeconds(3));
        var again = scenario.Reconcile();
        Assert.Equal((4, 2), (again.Stable!.Replicas, again.Canary!.Replicas));
    }

    [Fact]
    public void Under_replica_ratio_routing_the_whole_rollout_is_sized_and_split_by_the_weight()
    {
        var scenario = new RolloutScenario(spec =>
        {
            spec.TrafficRouting = new TrafficRouting { ReplicaRatio = new ReplicaRatioRouting() };
            Autoscaled(spec, min: 2, max: 10, target: 1);
        })
        {
            Stable = new("1.2.0", 10),
            Canary = new("1.3.0", 1),
        };
        Assert.Equal([RolloutAutoscaler.AllTracks], RolloutPlanner.ScaledUnits(scenario.Rollout.Spec, null));
        scenario.Reconcile();

        scenario.Loads[RolloutAutoscaler.AllTracks] = new TrackLoad(10, null, null);
        var plan = scenario.Reconcile();

        // Ten pods in all at a 10 % weight: one canary, nine stable.
        Assert.Equal((9, 1), (plan.Stable!.Replicas, plan.Canary!.Replicas));
        Assert.Equal(RolloutAutoscaler.AllTracks, Assert.Single(scenario.Status.Autoscaling!).Track);
    }

    [Fact]
    public void The_canary_leaves_the_autoscaler_when_it_stops_serving_and_removing_autoscaling_clears_status()
    {
        var scenario = new RolloutScenario(spec => Autoscaled(spec));
        scenario.Reconcile();
        scenario.Loads[Tracks.Stable] = new TrackLoad(7, null, null);
        scenario.Loads[Tracks.Canary] = new TrackLoad(7, null, null);
        scenario.Reconcile();
        Assert.Equal(2, scenario.Status.Autoscaling!.Count);

        scenario.Annotate(WhetstoneAnnotations.Abort, WhetstoneAnnotations.True);
        scenario.Reconcile();
        Assert.Equal(RolloutPhases.RolledBack, scenario.Status.Phase);
        Assert.Equal([Tracks.Stable], scenario.Status.Autoscaling!.Select(s => s.Track));
        Assert.Equal([Tracks.Stable], RolloutPlanner.ScaledUnits(scenario.Rollout.Spec, scenario.Status));
        Assert.Equal(4, scenario.LastPlan!.Stable!.Replicas);

        scenario.Rollout.Spec.Serving!.Autoscaling = null;
        var plan = scenario.Reconcile();
        Assert.Null(scenario.Status.Autoscaling);
        Assert.Equal(2, plan.Stable!.Replicas);
    }
}
