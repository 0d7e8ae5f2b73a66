using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;
using Whetstone.Operator.Rollouts.Reports;

namespace Whetstone.Operator.Tests.Rollouts;

public sealed class RolloutReportsTest
{
    // References from SciPy: scipy.stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson").
    [Theory]
    [InlineData(20, 100, 0.1333669333310325, 0.2888291655931589)]
    [InlineData(0, 10, 0.0, 0.27753279986288926)]
    [InlineData(109, 109, 0.9659570262486749, 1.0)]
    [InlineData(37, 52, 0.5772721196331574, 0.8167003958529009)]
    public void The_conversion_interval_is_the_Wilson_score_interval_SciPy_computes(int successes, int trials, double low, double high)
    {
        var (actualLow, actualHigh) = RolloutReports.WilsonInterval(successes, trials);

        Assert.Equal(low, actualLow, 1e-9);
        Assert.Equal(high, actualHigh, 1e-9);
    }

    [Fact]
    public void A_promotion_report_holds_outcome_durations_conversion_per_track_P99_and_every_decision()
    {
        var scenario = new RolloutScenario(spec => spec.Strategy.Steps = [new RolloutStep { SetWeight = 50 }]);
        scenario.Reconcile();
        var started = scenario.Status.StartTime;
        scenario.Advance(TimeSpan.FromMinutes(1));
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Passed, value: 0.002));
        scenario.Stable = new("1.3.0", 2);
        scenario.Advance(TimeSpan.FromSeconds(30));
        scenario.Reconcile();
        Assert.Equal(RolloutPhases.Promoted, scenario.Status.Phase);

        var report = RolloutReports.Build(scenario.Rollout, scenario.Status, "1.2.0",
            [new TrackFigures("stable", "1.2.0", 400, 1, 380, 190, 0.12), new TrackFigures("canary", "1.3.0", 100, 0, 52, 37, 0.095)], null, scenario.Now);

        Assert.Equal((RolloutPhases.Promoted, "1.3.0", "1.2.0"), (report.Outcome, report.CanaryVersion, report.StableVersion));
        Assert.Equal(started, report.StartedAt);
        Assert.Equal(90, report.DurationSeconds);
        Assert.Equal((1, 1), (report.StepsCompleted, report.Steps));
        var canary = report.Tracks!.Single(t => t.Track == "canary");
        Assert.Equal((37.0 / 52, 0.577272, 0.8167), (canary.Conversion!.Value, canary.ConversionLow!.Value, canary.ConversionHigh!.Value), new TupleComparer(1e-4));
        Assert.Equal((0.095, 100.0, 0.0), (canary.P99Seconds!.Value, canary.Requests!.Value, canary.Errors!.Value));
        Assert.Equal(0.5, report.Tracks!.Single(t => t.Track == "stable").Conversion);
        Assert.Equal(scenario.Status.Analysis!.Count, report.Decisions!.Count);
        Assert.Contains("# ModelRollout default/support: Promoted", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("| canary | 1.3.0 | 100 | 0 | 0.712 (0.577–0.817) | 52 | 95 ms |", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("| error-rate | Passed | 0.002 |", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("started 2026-12-04 12:00:00Z", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Tracks_without_feedback_have_no_conversion_and_the_Markdown_says_not_measured()
    {
        var scenario = new RolloutScenario();
        scenario.Reconcile();
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Failed, MetricAnalyzer.AboveMax, value: 0.3));

        var report = RolloutReports.Build(scenario.Rollout, scenario.Status, "1.2.0",
            [new TrackFigures("stable", "1.2.0", 10, 0, 0, 0, null), new TrackFigures("canary", "1.3.0", null, null, null, null, null)], "a note", scenario.Now);

        Assert.Equal(RolloutPhases.RolledBack, report.Outcome);
        Assert.Contains("error-rate = 0.3 (max 0.01)", report.Reason, StringComparison.Ordinal);
        Assert.All(report.Tracks!, t => Assert.Null(t.Conversion));
        Assert.Contains("| canary | 1.3.0 | – | – | not measured | – | not measured |", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("- note: a note", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Successes_measured_above_attempts_count_as_attempts_and_the_note_says_so()
    {
        // The counters are two series scraped one after the other: feedback between the reads counts as a success first.
        var scenario = new RolloutScenario();
        scenario.Reconcile();
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Failed, MetricAnalyzer.AboveMax, value: 0.3));

        var report = RolloutReports.Build(scenario.Rollout, scenario.Status, "1.2.0",
            [new TrackFigures("stable", "1.2.0", 30, 0, 12, 12, 0.1), new TrackFigures("canary", "1.3.0", 20, 0, 9, 10, 0.1)], "a note", scenario.Now);

        var canary = report.Tracks!.Single(t => t.Track == "canary");
        Assert.Equal((1.0, 10.0, 9.0), (canary.Conversion!.Value, canary.Successes!.Value, canary.Attempts!.Value));
        var (low, high) = RolloutReports.WilsonInterval(9, 9);
        Assert.Equal((low, high, 1.0), (canary.ConversionLow!.Value, canary.ConversionHigh!.Value, canary.Conversion!.Value), new TupleComparer(1e-6));
        Assert.Equal("a note; canary: 10 successes measured against 9 attempts (the counters are scraped a moment apart); conversion counts 9", report.Note);
        Assert.Equal(1.0, report.Tracks!.Single(t => t.Track == "stable").Conversion);
    }

    [Fact]
    public void The_Markdown_stays_within_its_limit_by_leaving_out_the_oldest_decisions()
    {
        var scenario = new RolloutScenario();
        scenario.Reconcile();
        for (var i = 0; i < 50; i++)
        {
            scenario.Advance(TimeSpan.FromMinutes(1));
            scenario.Reconcile(new Measurement("error-rate", AnalysisVerdicts.Passed, "r", 0.001, "q", $"look {i} " + new string('x', 1000), scenario.Now));
        }

        var report = RolloutReports.Build(scenario.Rollout, scenario.Status with { Phase = RolloutPhases.RolledBack }, "1.2.0", [], null, scenario.Now);

        Assert.Equal(50, report.Decisions!.Count);
        Assert.True(report.Markdown!.Length <= RolloutReportMarkdown.MaxLength, $"{report.Markdown.Length} characters");
        Assert.Contains("older decisions left out here", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("look 49 ", report.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("look 0 ", report.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_canary_clears_the_last_report_and_restarts_the_clock()
    {
        var scenario = new RolloutScenario();
        scenario.Reconcile();
        scenario.Reconcile(RolloutScenario.Measured(AnalysisVerdicts.Failed, MetricAnalyzer.AboveMax, value: 0.3));
        scenario.Rollout.Status!.Report = new RolloutReport { Outcome = RolloutPhases.RolledBack };
        scenario.Rollout.Spec.Canary.Version = "1.4.0";
        scenario.Advance(TimeSpan.FromMinutes(5));

        scenario.Reconcile();

        Assert.Null(scenario.Status.Report);
        Assert.Equal(scenario.Now, scenario.Status.StartTime);
    }

    private sealed class TupleComparer(double tolerance) : IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) x, (double, double, double) y) =>
            Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance && Math.Abs(x.Item3 - y.Item3) <= tolerance;

        public int GetHashCode((double, double, double) obj) => 0;
    }
}
