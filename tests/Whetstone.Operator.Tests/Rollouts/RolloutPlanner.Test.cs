using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts;
using Whetstone.Operator.Rollouts.Analysis;

namespace Whetstone.Operator.Tests.Rollouts;

public sealed class RolloutPlannerTest
{
    [Fact]
    public void A_new_rollout_sets_the_first_weight_and_advances_once_the_canary_pods_are_ready()
    {
        var scenario = new RolloutScenario { Canary = TrackObservation.Missing };

        var plan = scenario.Reconcile();

        Assert.Equal((RolloutPhases.Progressing, 0, 10), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight));
        Assert.Equal(10, plan.CanaryWeight);
        Assert.Equal(("1.3.0", 2, RolloutScenario.CanaryModel.Uri), (plan.Canary!.Version, plan.Canary.Replicas, plan.Canary.Model.Uri));
        Assert.Equal(("1.2.0", 2), (plan.Stable!.Version, plan.Stable.Replicas));
        Assert.Contains("waiting for 2 ready canary pods", scenario.Status.Message, StringComparison.Ordinal);

        scenario.Canary = new("1.3.0", 2);
        scenario.Advance(TimeSpan.FromSeconds(5));
        scenario.Reconcile();

        Assert.Equal((RolloutPhases.Paused, 1, 10), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight));
        Assert.Equal("step 2/4: paused 0s of 10m", scenario.Status.Message);
    }

    [Fact]
    public void The_canary_starts_only_once_the_stable_pods_are_ready_so_it_never_takes_the_stables_share()
    {
        var scenario = new RolloutScenario(spec => spec.TrafficRouting = new TrafficRouting { ReplicaRatio = new ReplicaRatioRouting() })
        {
            Stable = new("1.2.0", 1),
            Canary = TrackObservation.Missing,
        };

        var waiting = scenario.Reconcile();

        Assert.Equal((RolloutPhases.Pending, ConditionReasons.WaitingForStable, 0), (scenario.Status.Phase, scenario.ProgressingReason, scenario.Status.CanaryWeight));
        Assert.Equal(0, waiting.Canary?.Replicas ?? 0);
        Assert.Equal(2, waiting.Stable!.Replicas);
        Assert.Equal("waiting for the stable track before starting canary 1.3.0: 1 of 2 pods of 1.2.0 ready (0s of 10m)", scenario.Status.Message);
        Assert.Equal(("False", ConditionReasons.StablePodsNotReady), Condition(scenario, ConditionTypes.StableReady));

        scenario.Advance(TimeSpan.FromSeconds(20));
        scenario.Stable = new("1.2.0", 2);
        var started = scenario.Reconcile();

        Assert.Equal((RolloutPhases.Progressing, 10), (scenario.Status.Phase, started.CanaryWeight));
        Assert.Equal((1, 1), (started.Canary!.Replicas, started.Stable!.Replicas));
        Assert.Equal(("True", ConditionReasons.StablePodsReady), Condition(scenario, ConditionTypes.StableReady));
    }

    [Fact]
    public void A_stable_that_never_becomes_ready_is_waited_on_for_the_canary_ready_timeout_then_the_canary_starts_with_a_warning()
    {
        var scenario = new RolloutScenario { Stable = new("1.2.0", 0) };
        scenario.Reconcile();
        scenario.Advance(TimeSpan.FromMinutes(9));
        scenario.Reconcile();
        Assert.Equal((RolloutPhases.Pending, ConditionReasons.WaitingForStable), (scenario.Status.Phase, scenario.ProgressingReason));
        Assert.EndsWith("0 of 2 pods of 1.2.0 ready (9m of 10m)", scenario.Status.Message, StringComparison.Ordinal);

        scenario.Advance(TimeSpan.FromMinutes(1));
        var started = scenario.Reconcile();

        Assert.Equal((RolloutPhases.Paused, 1), (scenario.Status.Phase, scenario.Status.CurrentStep));
        var warning = Assert.Single(started.Events, e => e.Warning);
        Assert.Equal(ConditionReasons.StablePodsNotReady, warning.Reason);
        Assert.StartsWith("starting canary 1.3.0 although stable 1.2.0 has 0 of 2 ready pods after 10m", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canary_pods_that_never_become_ready_roll_the_rollout_back_after_the_timeout_naming_the_counts()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis = null) { Canary = new("1.3.0", 0) };
        scenario.Reconcile();
        scenario.Advance(TimeSpan.FromMinutes(9));

        var waiting = scenario.Reconcile();

        Assert.Equal((RolloutPhases.Progressing, 10), (scenario.Status.Phase, scenario.Status.CanaryWeight));
        Assert.Equal("step 1/4: canary at 10%, waiting for 2 ready canary pods (0 ready, 9m of 10m)", scenario.Status.Message);
        Assert.Equal(TimeSpan.FromSeconds(5), waiting.RequeueAfter);
        Assert.Equal(("False", ConditionReasons.CanaryPodsNotReady), Condition(scenario, ConditionTypes.CanaryReady));

        scenario.Advance(TimeSpan.FromMinutes(1));
        var rolledBack = scenario.Reconcile();

        Assert.Equal((RolloutPhases.RolledBack, 0), (scenario.Status.Phase, scenario.Status.CanaryWeight));
        Assert.Equal(ConditionReasons.CanaryNotReady, scenario.ProgressingReason);
        Assert.StartsWith("rolled back: the canary had 0 of 2 ready pods 10m after step 1/4 asked for 10%", scenario.Status.Message, StringComparison.Ordinal);
        Assert.Contains(rolledBack.Events, e => e.Warning && e.Reason == ConditionReasons.RolledBack);
    }

    [Fact]
    public void The_canary_ready_timeout_counts_from_when_a_step_starts_waiting_not_from_an_earlier_wait()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis = null) { Canary = new("1.3.0", 0) };
        scenario.Reconcile();
        scenario.Advance(TimeSpan.FromMinutes(9));
        scenario.Canary = new("1.3.0", 2);
        scenario.Reconcile();
        Assert.Equal(("True", ConditionReasons.CanaryPodsReady), Condition(scenario, ConditionTypes.CanaryReady));

        // The pause runs its 10 minutes; then one canary pod is lost as the next step asks for 50 %.
        scenario.Advance(TimeSpan.FromMinutes(10));
        scenario.Canary = new("1.3.0", 1);
        scenario.Reconcile();
        Assert.Equal((RolloutPhases.Progressing, 2, 50), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight));
        scenario.Advance(TimeSpan.FromMinutes(9));
        scenario.Reconcile();
        Assert.Equal(RolloutPhases.Progressing, scenario.Status.Phase);
        Assert.Contains("(1 ready, 9m of 10m)", scenario.Status.Message, StringComparison.Ordinal);

        // A shorter operator setting applies at once.
        var plan = RolloutPlanner.Plan(scenario.Rollout, new RolloutObservation(RolloutScenario.StableModel, RolloutScenario.CanaryModel, null, null, scenario.Stable, scenario.Canary, []), scenario.Now, TimeSpan.FromMinutes(5));
        Assert.Equal(RolloutPhases.RolledBack, plan.Status.Phase);
    }

    private static (string?, string?) Condition(RolloutScenario scenario, string type) =>
        scenario.Status.Conditions?.FirstOrDefault(c => c.Type == type) is { } c ? (c.Status, c.Reason) : (null, null);

    [Fact]
    public void A_timed_pause_counts_from_status_so_its_remaining_time_survives_a_restart()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis = null);
        scenario.Reconcile();
        scenario.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(12));

        // A restarted operator has nothing but the object: the planner is called afresh with the persisted status.
        var plan = scenario.Reconcile();

        Assert.Equal("step 2/4: paused 4m12s of 10m", scenario.Status.Message);
        Assert.Equal(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(48), plan.RequeueAfter);

        scenario.Advance(TimeSpan.FromMinutes(6));
        scenario.Reconcile();

        Assert.Equal((RolloutPhases.Paused, 3, 50), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight));
        Assert.Equal("step 4/4: paused until promoted (whetstone.dev/promote=step)", scenario.Status.Message);
    }

    [Fact]
    public void A_failing_threshold_metric_rolls_back_at_once_naming_metric_query_value_and_threshold()
    {
        var scenario = new RolloutScenario();
        scenario.Reconcile();

        var plan = scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Failed, MetricAnalyzer.AboveMax, value: 0.05));

        Assert.Equal((RolloutPhases.RolledBack, 0), (scenario.Status.Phase, plan.CanaryWeight));
        Assert.Equal(0, plan.Canary!.Replicas);
        Assert.Equal(("1.2.0", 2), (plan.Stable!.Version, plan.Stable.Replicas));
        Assert.Contains("error-rate = 0.05 (max 0.01) from sum(errors)", scenario.Status.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionReasons.AnalysisFailed, scenario.ProgressingReason);
        Assert.Contains(plan.Events, e => e.Warning && e.Reason == ConditionReasons.RolledBack);
        Assert.Equal("sum(errors)", scenario.Status.Analysis!.Last().Query);
    }

    [Fact]
    public void Failures_up_to_failureLimit_are_tolerated_and_one_more_rolls_back()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis!.FailureLimit = 1);
        scenario.Reconcile();

        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Failed));
        Assert.Equal(RolloutPhases.Paused, scenario.Status.Phase);
        scenario.Advance(TimeSpan.FromMinutes(1));
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Failed));

        Assert.Equal(RolloutPhases.RolledBack, scenario.Status.Phase);
    }

    [Fact]
    public void Query_errors_roll_back_only_after_consecutiveErrorLimit_looks_in_a_row()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis!.ConsecutiveErrorLimit = 2);
        scenario.Reconcile();
        var error = RolloutScenario.Measured(AnalysisVerdicts.Error, QueryProblems.Unreachable);

        scenario.Reconcile(error);
        scenario.Reconcile(error);
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Passed));
        scenario.Reconcile(error);
        scenario.Reconcile(error);
        Assert.Equal((RolloutPhases.Paused, 2), (scenario.Status.Phase, scenario.Status.ConsecutiveErrors));

        scenario.Reconcile(error);

        Assert.Equal(RolloutPhases.RolledBack, scenario.Status.Phase);
        Assert.Equal(ConditionReasons.AnalysisError, scenario.ProgressingReason);
    }

    [Fact]
    public void Empty_or_NaN_data_beyond_inconclusiveLimit_pause_for_a_person_and_never_promote()
    {
        var scenario = new RolloutScenario(spec =>
        {
            spec.Strategy.Analysis!.InconclusiveLimit = 1;
            spec.Strategy.Steps = [new RolloutStep { SetWeight = 50 }];
        });
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Inconclusive, QueryProblems.EmptyResult));
        Assert.Equal(RolloutPhases.Progressing, scenario.Status.Phase);

        var plan = scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Inconclusive, QueryProblems.NotANumber));

        Assert.Equal(RolloutPhases.Paused, scenario.Status.Phase);
        Assert.Equal(ConditionReasons.AnalysisInconclusive, scenario.ProgressingReason);
        Assert.Equal(50, plan.CanaryWeight);
        Assert.Contains(plan.Events, e => e.Reason == ConditionReasons.AnalysisInconclusive);
    }

    [Fact]
    public void After_the_last_step_the_rollout_waits_until_every_metric_passed_at_the_final_weight()
    {
        var scenario = new RolloutScenario(spec =>
        {
            spec.Strategy.Steps = [new RolloutStep { SetWeight = 20 }, new RolloutStep { SetWeight = 50 }];
            spec.Strategy.Analysis!.Metrics.Add(new AnalysisMetric { Name = "conversion", Compare = new MetricComparison { SuccessQuery = "s", TotalQuery = "t" } });
        });
        var earlier = scenario.Now - TimeSpan.FromMinutes(1);

        // A pass measured before the final weight was set does not count; an undecided comparison blocks promotion.
        scenario.Reconcile(
            RolloutScenario.Measured(AnalysisVerdicts.Passed, at: earlier),
            RolloutScenario.Measured(AnalysisVerdicts.Inconclusive, TwoProportionTest.NotYetDecided, metric: "conversion"));
        Assert.Equal((RolloutPhases.Progressing, 2, 50), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight));
        Assert.Equal("all 2 steps done at 50%: waiting for error-rate, conversion to pass at this weight", scenario.Status.Message);

        scenario.Advance(TimeSpan.FromMinutes(1));
        var plan = scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Passed), RolloutScenario.Measured(AnalysisVerdicts.Passed, metric: "conversion"));

        Assert.Equal(ConditionReasons.Promoting, scenario.ProgressingReason);
        Assert.Equal(100, plan.CanaryWeight);
        Assert.Equal("1.3.0", plan.Stable!.Version);
    }

    [Fact]
    public void Promotion_moves_the_canary_into_status_stable_and_scales_the_canary_down_once_the_stable_track_runs_it()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis = null);
        scenario.Reconcile();
        scenario.Annotate(WhetstoneAnnotations.Promote, WhetstoneAnnotations.PromoteFull);
        Assert.Equal((RolloutPhases.Progressing, ConditionReasons.Promoting), (scenario.Status.Phase, scenario.ProgressingReason));

        scenario.Stable = new("1.3.0", 2);
        var plan = scenario.Reconcile();

        Assert.Equal(RolloutPhases.Promoted, scenario.Status.Phase);
        Assert.Equal(("1.3.0", RolloutScenario.CanaryModel.Uri), (scenario.Status.StableVersion, scenario.Status.StableModel!.Uri));
        Assert.Equal((0, 0), (plan.CanaryWeight, plan.Canary!.Replicas));
        Assert.Equal(("1.3.0", 2), (plan.Stable!.Version, plan.Stable.Replicas));
    }

    [Fact]
    public void Reapplying_the_same_spec_after_promotion_changes_nothing_and_flags_the_stale_stable()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis = null);
        scenario.Reconcile();
        scenario.Annotate(WhetstoneAnnotations.Promote, WhetstoneAnnotations.PromoteFull);
        scenario.Stable = new("1.3.0", 2);
        scenario.Reconcile();
        var promoted = scenario.Status;

        scenario.Advance(TimeSpan.FromHours(1));
        var plan = scenario.Reconcile();

        Assert.Equal(RolloutPhases.Promoted, scenario.Status.Phase);
        Assert.Equal(promoted.Message, scenario.Status.Message);
        Assert.Equal("1.3.0", plan.Stable!.Version);
        Assert.Empty(plan.Events);
        var degraded = scenario.Status.Conditions!.Single(c => c.Type == ConditionTypes.Degraded);
        Assert.Equal(("True", ConditionReasons.StableDiffersFromServing), (degraded.Status, degraded.Reason));
        Assert.Equal(promoted.Conditions!.Single(c => c.Type == ConditionTypes.Degraded).LastTransitionTime, degraded.LastTransitionTime);
    }

    [Fact]
    public void A_new_canary_version_starts_from_the_stable_in_status_not_from_spec_stable()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Analysis = null);
        scenario.Reconcile();
        scenario.Annotate(WhetstoneAnnotations.Promote, WhetstoneAnnotations.PromoteFull);
        scenario.Stable = new("1.3.0", 2);
        scenario.Reconcile();

        scenario.Rollout.Spec.Canary = new RolloutTrack { Model = new ModelSource { Uri = "file:///models/support/1.4.0/" }, Version = "1.4.0" };
        scenario.Canary = TrackObservation.Missing;
        var plan = scenario.Reconcile();

        Assert.Equal((RolloutPhases.Progressing, "1.4.0", 10), (scenario.Status.Phase, scenario.Status.CanaryVersion, plan.CanaryWeight));
        Assert.Equal(("1.3.0", RolloutScenario.CanaryModel.Uri), (plan.Stable!.Version, plan.Stable.Model.Uri));
    }

    [Fact]
    public void An_unfinished_evaluation_keeps_the_rollout_pending_and_a_failed_one_fails_it()
    {
        var scenario = new RolloutScenario { Evaluation = new("support-eval", true, false, null, null, true) };

        var plan = scenario.Reconcile();

        Assert.Equal((RolloutPhases.Pending, ConditionReasons.WaitingForEvaluation), (scenario.Status.Phase, scenario.ProgressingReason));
        Assert.Equal((0, 0), (plan.CanaryWeight, plan.Canary?.Replicas ?? 0));

        scenario.Evaluation = new("support-eval", true, true, Verdicts.Failed, null, true);
        scenario.Reconcile();

        Assert.Equal((RolloutPhases.Failed, ConditionReasons.EvaluationNotPassed), (scenario.Status.Phase, scenario.ProgressingReason));
    }

    [Fact]
    public void An_evaluation_of_another_digest_fails_the_rollout()
    {
        var scenario = new RolloutScenario { Evaluation = new("support-eval", true, true, Verdicts.Passed, "sha256:" + new string('c', 64), true) };

        scenario.Reconcile();

        Assert.Equal((RolloutPhases.Failed, ConditionReasons.EvaluationNotPassed), (scenario.Status.Phase, scenario.ProgressingReason));
        Assert.Contains("it evaluated sha256:ccc", scenario.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_passed_evaluation_of_the_canary_lets_it_start()
    {
        var scenario = new RolloutScenario { Evaluation = new("support-eval", true, true, Verdicts.Passed, RolloutScenario.CanaryModel.Digest, true) };

        scenario.Reconcile();

        Assert.Equal(RolloutPhases.Paused, scenario.Status.Phase);
    }

    [Fact]
    public void The_analysis_history_keeps_the_newest_50_measurements()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Steps = [new RolloutStep { Pause = new PauseStep() }]);
        for (var i = 0; i < 60; i++)
        {
            scenario.Advance(TimeSpan.FromMinutes(1));
            scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Passed, value: i / 1000.0));
        }

        Assert.Equal(RolloutPlanner.HistoryLimit, scenario.Status.Analysis!.Count);
        Assert.Equal(0.059, scenario.Status.Analysis[^1].Value);
        Assert.Equal(0.010, scenario.Status.Analysis[0].Value);
    }

    [Fact]
    public void The_same_world_twice_gives_the_same_status()
    {
        var scenario = new RolloutScenario();
        scenario.Reconcile();
        var first = scenario.Status;

        var again = RolloutPlanner.Plan(scenario.Rollout, new RolloutObservation(RolloutScenario.StableModel, RolloutScenario.CanaryModel, null, null, scenario.Stable, scenario.Canary, []), scenario.Now);

        Assert.Equal(first.Message, again.Status.Message);
        Assert.Equal((first.Phase, first.CurrentStep, first.CanaryWeight, first.PauseStartTime), (again.Status.Phase, again.Status.CurrentStep, again.Status.CanaryWeight, again.Status.PauseStartTime));
        Assert.Empty(again.Events);
    }

    [Theory]
    [InlineData(4, 10, 1)]
    [InlineData(4, 50, 2)]
    [InlineData(10, 5, 1)]
    [InlineData(10, 25, 3)]
    [InlineData(3, 100, 3)]
    [InlineData(3, 0, 0)]
    public void Replica_ratio_routing_gives_the_canary_its_share_of_pods(int replicas, int weight, int canary) =>
        Assert.Equal(canary, RolloutPlanner.CanaryReplicasForRatio(replicas, weight));

    [Fact]
    public void Replica_ratio_routing_warns_when_whole_pods_miss_the_asked_weight_by_more_than_5_points()
    {
        var scenario = new RolloutScenario(spec =>
        {
            spec.TrafficRouting = new TrafficRouting { ReplicaRatio = new ReplicaRatioRouting() };
            spec.Serving!.Replicas = 4;
            spec.Strategy.Steps = [new RolloutStep { SetWeight = 10 }, new RolloutStep { Pause = new PauseStep() }];
        });
        scenario.Stable = new("1.2.0", 4);
        scenario.Canary = new("1.3.0", 1);

        var plan = scenario.Reconcile();

        var condition = scenario.Status.Conditions!.Single(c => c.Type == ConditionTypes.WeightAccurate);
        Assert.Equal(("False", ConditionReasons.WeightApproximated), (condition.Status, condition.Reason));
        Assert.Equal("asked 10%, 1 of 4 pods give 25%", condition.Message);
        Assert.Equal((1, 3), (plan.Canary!.Replicas, plan.Stable!.Replicas));
        Assert.Contains(plan.Events, e => e.Warning && e.Reason == ConditionReasons.WeightApproximated);
    }

    [Fact]
    public void Replica_ratio_routing_within_5_points_is_accurate()
    {
        var scenario = new RolloutScenario(spec =>
        {
            spec.TrafficRouting = new TrafficRouting { ReplicaRatio = new ReplicaRatioRouting() };
            spec.Serving!.Replicas = 10;
            spec.Strategy.Steps = [new RolloutStep { SetWeight = 20 }, new RolloutStep { Pause = new PauseStep() }];
        });
        scenario.Stable = new("1.2.0", 10);

        var plan = scenario.Reconcile();

        Assert.Equal("True", scenario.Status.Conditions!.Single(c => c.Type == ConditionTypes.WeightAccurate).Status);
        Assert.Equal((2, 8), (plan.Canary!.Replicas, plan.Stable!.Replicas));
    }

    [Fact]
    public void Replica_ratio_routing_shows_the_effective_weight_of_ready_pods_while_the_steps_keep_the_asked_one()
    {
        var scenario = new RolloutScenario(spec =>
        {
            spec.TrafficRouting = new TrafficRouting { ReplicaRatio = new ReplicaRatioRouting() };
            spec.Serving!.Replicas = 4;
            spec.Strategy.Analysis = null;
            spec.Strategy.Steps = [new RolloutStep { SetWeight = 10 }, new RolloutStep { Pause = new PauseStep { Duration = "1m" } }, new RolloutStep { SetWeight = 50 }, new RolloutStep { Pause = new PauseStep() }];
        });
        scenario.Stable = new("1.2.0", 4);
        scenario.Canary = TrackObservation.Missing;

        // Asked 10 %: one of four pods, none ready yet, so no canary traffic at all.
        var plan = scenario.Reconcile();
        Assert.Equal((0, 10, 1, 3), (scenario.Status.CanaryWeight, plan.CanaryWeight, plan.Canary!.Replicas, plan.Stable!.Replicas));
        var stepStarted = scenario.Status.StepStartTime;

        // One canary pod ready beside three stable ones: a quarter of the pods, whatever was asked.
        scenario.Stable = new("1.2.0", 3);
        scenario.Canary = new("1.3.0", 1);
        scenario.Advance(TimeSpan.FromSeconds(5));
        plan = scenario.Reconcile();
        Assert.Equal((RolloutPhases.Paused, 1, 25, 10), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight, plan.CanaryWeight));
        Assert.Equal(stepStarted, scenario.Status.StepStartTime);
        Assert.Equal(ConditionReasons.WeightApproximated, scenario.Status.Conditions!.Single(c => c.Type == ConditionTypes.WeightAccurate).Reason);

        // Reconciling again with the effective weight in status neither restarts the step nor changes the split.
        scenario.Advance(TimeSpan.FromSeconds(5));
        plan = scenario.Reconcile();
        Assert.Equal((1, 25, 10, 1), (scenario.Status.CurrentStep, scenario.Status.CanaryWeight, plan.CanaryWeight, plan.Canary!.Replicas));
        Assert.Equal("step 2/4: paused 5s of 1m", scenario.Status.Message);

        // The pause ends: 50 % asked, two of four pods; the effective weight follows once they are ready.
        scenario.Advance(TimeSpan.FromMinutes(1));
        plan = scenario.Reconcile();
        Assert.Equal((2, 50), (plan.Canary!.Replicas, plan.CanaryWeight));
        Assert.Equal(25, scenario.Status.CanaryWeight);
        scenario.Stable = new("1.2.0", 2);
        scenario.Canary = new("1.3.0", 2);
        scenario.Reconcile();
        Assert.Equal((RolloutPhases.Paused, 3, 50), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight));
        Assert.Equal("True", scenario.Status.Conditions!.Single(c => c.Type == ConditionTypes.WeightAccurate).Status);
    }

    [Fact]
    public void Analysis_is_due_once_an_interval_after_the_last_look()
    {
        var scenario = new RolloutScenario();
        scenario.Reconcile();
        Assert.True(RolloutPlanner.IsAnalysisDue(scenario.Rollout, scenario.Now));
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Passed));

        Assert.False(RolloutPlanner.IsAnalysisDue(scenario.Rollout, scenario.Now + TimeSpan.FromSeconds(59)));
        Assert.True(RolloutPlanner.IsAnalysisDue(scenario.Rollout, scenario.Now + TimeSpan.FromSeconds(60)));
    }
}
