using Whetstone.Api;
using Whetstone.Operator.Rollouts;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>Every cell of the phase × annotation table in docs/decisions.md ("ModelRollout: manual control").</summary>
public sealed class RolloutAnnotationTransitionsTest
{
    public static TheoryData<string, string, string, string> Cells { get; } = new()
    {
        // state, annotation=value, expected phase, expected marker (step/weight/reason) after the reconcile
        { "Pending", "promote=step", RolloutPhases.Pending, ConditionReasons.WaitingForEvaluation },
        { "Pending", "promote=full", RolloutPhases.Pending, ConditionReasons.WaitingForEvaluation },
        { "Pending", "abort=true", RolloutPhases.RolledBack, ConditionReasons.Aborted },
        { "Pending", "retry=true", RolloutPhases.Pending, ConditionReasons.WaitingForEvaluation },
        { "Progressing", "promote=step", RolloutPhases.Paused, "step=1" },
        { "Progressing", "promote=full", RolloutPhases.Progressing, ConditionReasons.Promoting },
        { "Progressing", "abort=true", RolloutPhases.RolledBack, ConditionReasons.Aborted },
        { "Progressing", "retry=true", RolloutPhases.Progressing, "step=0" },
        { "PausedTimed", "promote=step", RolloutPhases.Paused, "step=3" },
        { "PausedTimed", "promote=full", RolloutPhases.Progressing, ConditionReasons.Promoting },
        { "PausedTimed", "abort=true", RolloutPhases.RolledBack, ConditionReasons.Aborted },
        { "PausedTimed", "retry=true", RolloutPhases.Paused, "step=1" },
        { "PausedInconclusive", "promote=step", RolloutPhases.Paused, "step=3" },
        { "PausedInconclusive", "promote=full", RolloutPhases.Progressing, ConditionReasons.Promoting },
        { "PausedInconclusive", "abort=true", RolloutPhases.RolledBack, ConditionReasons.Aborted },
        { "PausedInconclusive", "retry=true", RolloutPhases.Paused, ConditionReasons.AnalysisInconclusive },
        { "Promoted", "promote=step", RolloutPhases.Promoted, ConditionReasons.Promoted },
        { "Promoted", "promote=full", RolloutPhases.Promoted, ConditionReasons.Promoted },
        { "Promoted", "abort=true", RolloutPhases.Promoted, ConditionReasons.Promoted },
        { "Promoted", "retry=true", RolloutPhases.Promoted, ConditionReasons.Promoted },
        { "RolledBack", "promote=step", RolloutPhases.RolledBack, ConditionReasons.Aborted },
        { "RolledBack", "promote=full", RolloutPhases.RolledBack, ConditionReasons.Aborted },
        { "RolledBack", "abort=true", RolloutPhases.RolledBack, ConditionReasons.Aborted },
        { "RolledBack", "retry=true", RolloutPhases.Progressing, "step=0" },
        { "Failed", "promote=step", RolloutPhases.Failed, ConditionReasons.EvaluationNotPassed },
        { "Failed", "promote=full", RolloutPhases.Failed, ConditionReasons.EvaluationNotPassed },
        { "Failed", "abort=true", RolloutPhases.Failed, ConditionReasons.EvaluationNotPassed },
        { "Failed", "retry=true", RolloutPhases.Failed, ConditionReasons.EvaluationNotPassed },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Each_annotation_in_each_phase_is_consumed_with_an_event_and_moves_the_rollout_as_the_table_says(
        string state, string annotation, string phase, string marker)
    {
        var scenario = Arrange(state);
        var (key, value) = (annotation.Split('=')[0], annotation.Split('=')[1]);

        var plan = scenario.Annotate("whetstone.dev/" + key, value);

        Assert.Equal(phase, scenario.Status.Phase);
        if (marker.StartsWith("step=", StringComparison.Ordinal))
        {
            Assert.Equal(int.Parse(marker[5..], System.Globalization.CultureInfo.InvariantCulture), scenario.Status.CurrentStep);
        }
        else
        {
            Assert.Equal(marker, scenario.ProgressingReason);
        }

        Assert.Equal(["whetstone.dev/" + key], plan.ConsumedAnnotations);
        Assert.DoesNotContain("whetstone.dev/" + key, scenario.Rollout.Metadata.Annotations.Keys);
        Assert.NotEmpty(plan.Events);
    }

    [Theory]
    [InlineData("Progressing")]
    [InlineData("PausedTimed")]
    public void Abort_wins_over_a_promotion_set_at_the_same_time(string state)
    {
        var scenario = Arrange(state);
        scenario.Rollout.Metadata.Annotations[WhetstoneAnnotations.Promote] = WhetstoneAnnotations.PromoteFull;

        var plan = scenario.Annotate(WhetstoneAnnotations.Abort, WhetstoneAnnotations.True);

        Assert.Equal(RolloutPhases.RolledBack, scenario.Status.Phase);
        Assert.Equal(0, plan.CanaryWeight);
        Assert.Equal([WhetstoneAnnotations.Abort, WhetstoneAnnotations.Promote], plan.ConsumedAnnotations);
        Assert.Contains(plan.Events, e => e.Message.Contains("abort wins", StringComparison.Ordinal));
    }

    [Fact]
    public void Retry_after_an_abort_starts_the_analysis_afresh()
    {
        var scenario = Arrange("PausedTimed");
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Passed));
        scenario.Annotate(WhetstoneAnnotations.Abort, WhetstoneAnnotations.True);
        scenario.Advance(TimeSpan.FromMinutes(3));

        scenario.Annotate(WhetstoneAnnotations.Retry, WhetstoneAnnotations.True);

        Assert.Equal((RolloutPhases.Paused, 1), (scenario.Status.Phase, scenario.Status.CurrentStep));
        Assert.Equal(scenario.Now, scenario.Status.AnalysisStartTime);
        Assert.Null(scenario.Status.LastAnalysisTime);
        Assert.Empty(scenario.Status.Analysis!);
        Assert.Equal((0, 0, 0), (scenario.Status.AnalysisFailures, scenario.Status.ConsecutiveErrors, scenario.Status.ConsecutiveInconclusive));
    }

    [Fact]
    public void Promote_step_during_an_inconclusive_pause_moves_on_to_the_next_step()
    {
        var scenario = Arrange("PausedInconclusive");
        Assert.Equal((RolloutPhases.Paused, 1), (scenario.Status.Phase, scenario.Status.CurrentStep));

        scenario.Annotate(WhetstoneAnnotations.Promote, WhetstoneAnnotations.PromoteStep);

        Assert.Equal((RolloutPhases.Paused, 3, 50), (scenario.Status.Phase, scenario.Status.CurrentStep, scenario.Status.CanaryWeight));
        Assert.Equal(0, scenario.Status.ConsecutiveInconclusive);
    }

    [Theory]
    [InlineData("whetstone.dev/promote", "later")]
    [InlineData("whetstone.dev/abort", "yes")]
    [InlineData("whetstone.dev/retry", "1")]
    public void An_unknown_value_is_consumed_with_a_warning_and_changes_nothing(string key, string value)
    {
        var scenario = Arrange("PausedTimed");
        var before = (scenario.Status.Phase, scenario.Status.CurrentStep);

        var plan = scenario.Annotate(key, value);

        Assert.Equal(before, (scenario.Status.Phase, scenario.Status.CurrentStep));
        Assert.Contains(plan.Events, e => e.Warning && e.Reason == "InvalidAnnotation" && e.Message.Contains(value, StringComparison.Ordinal));
    }

    private static RolloutScenario Arrange(string state)
    {
        switch (state)
        {
            case "Pending":
                return Reconciled(new RolloutScenario { Evaluation = new("support-eval", true, false, null, null, true) });
            case "Progressing":
                return Reconciled(new RolloutScenario { Canary = TrackObservation.Missing });
            case "PausedTimed":
                return Reconciled(new RolloutScenario());
            case "PausedInconclusive":
                var inconclusive = new RolloutScenario(spec => spec.Strategy.Analysis!.InconclusiveLimit = 0);
                inconclusive.Reconcile();
                inconclusive.Advance(TimeSpan.FromMinutes(10));
                inconclusive.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Inconclusive, "EmptyResult"));
                Assert.Equal(ConditionReasons.AnalysisInconclusive, inconclusive.ProgressingReason);
                return inconclusive;
            case "Promoted":
                var promoted = new RolloutScenario(spec => spec.Strategy.Analysis = null);
                promoted.Reconcile();
                promoted.Annotate(WhetstoneAnnotations.Promote, WhetstoneAnnotations.PromoteFull);
                promoted.Stable = new("1.3.0", 2);
                return Reconciled(promoted);
            case "RolledBack":
                var rolledBack = Reconciled(new RolloutScenario());
                rolledBack.Annotate(WhetstoneAnnotations.Abort, WhetstoneAnnotations.True);
                rolledBack.Canary = new("1.3.0", 0);
                return rolledBack;
            case "Failed":
                return Reconciled(new RolloutScenario { Evaluation = new("support-eval", true, true, Verdicts.Failed, null, true) });
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }

    private static RolloutScenario Reconciled(RolloutScenario scenario)
    {
        scenario.Reconcile();
        return scenario;
    }
}
