using System.Text.Json.Nodes;
using Whetstone.Cli.Get;
using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Tests.Commands;

/// <summary>What <c>whetstone get</c> derives from an object: progress, reason, terminal phases, age.</summary>
public sealed class ObjectSummaryTest
{
    [Fact]
    public void A_fine_tune_shows_step_over_total_and_the_ready_conditions_reason()
    {
        var summary = ObjectSummary.From(WhetstoneKind.FineTuneJob, Parse("""
            {"metadata": {"name": "a", "creationTimestamp": "2026-01-01T00:00:00Z"},
             "status": {"phase": "Running", "progress": {"step": 30, "totalSteps": 120, "percent": 25},
                        "conditions": [{"type": "Progressing", "status": "True", "reason": "Other"},
                                       {"type": "Ready", "status": "False", "reason": "WorkerRunning"}]}}
            """));

        Assert.Equal("30/120", summary.Progress);
        Assert.Equal(0.25, summary.Fraction);
        Assert.Equal("WorkerRunning", summary.Reason);
        Assert.False(summary.IsTerminal);
        Assert.Equal("[#####---------------]", ProgressTable.Bar(summary.Fraction));
        Assert.Equal("3m5s", summary.Age(DateTimeOffset.Parse("2026-01-01T00:03:05Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_compression_job_counts_succeeded_steps_and_a_rollout_shows_step_and_weight()
    {
        var compression = ObjectSummary.From(WhetstoneKind.CompressionJob, Parse("""
            {"metadata": {"name": "c"}, "spec": {"steps": [{}, {}, {}, {}]},
             "status": {"phase": "Running", "steps": [{"phase": "Succeeded"}, {"phase": "Running"}]}}
            """));
        var rollout = ObjectSummary.From(WhetstoneKind.ModelRollout, Parse("""
            {"metadata": {"name": "r"}, "spec": {"strategy": {"steps": [{}, {}, {}]}},
             "status": {"phase": "RolledBack", "currentStep": 1, "canaryWeight": 20}}
            """));

        Assert.Equal("1/4 steps", compression.Progress);
        Assert.Equal("step 1/3 20%", rollout.Progress);
        Assert.True(rollout.IsTerminal);
        Assert.Equal("-", rollout.Reason);
    }

    [Fact]
    public void An_object_without_status_is_Pending_with_unknown_progress()
    {
        var summary = ObjectSummary.From(WhetstoneKind.EvaluationRun, Parse("""{"metadata": {"name": "e"}}"""));

        Assert.Equal("Pending", summary.Phase);
        Assert.Equal("-", summary.Progress);
        Assert.Null(summary.Fraction);
        Assert.Equal("[....................]", ProgressTable.Bar(summary.Fraction));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
