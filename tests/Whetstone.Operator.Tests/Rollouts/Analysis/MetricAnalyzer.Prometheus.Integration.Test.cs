using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts.Analysis;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Rollouts.Analysis;

/// <summary>Analysis queries against a real Prometheus scraping a fixed exporter (see <see cref="PrometheusWithExporterFixture"/>).</summary>
[Collection(RolloutCollections.Prometheus)]
public sealed class MetricAnalyzerPrometheusIntegrationTest(PrometheusWithExporterFixture fixture) : IClassFixture<PrometheusWithExporterFixture>, IDisposable
{
    private const string ErrorRate =
        """sum(whetstone_inference_requests_total{rollout="{{rollout}}",track="canary",outcome="error"}) / sum(whetstone_inference_requests_total{rollout="{{rollout}}",track="canary"})""";

    private static readonly DateTime Now = new(2026, 12, 4, 15, 0, 0, DateTimeKind.Utc);
    private static readonly AnalysisTarget Demo = new("demo", "default", "1.2.0", "1.3.0", TimeSpan.FromMinutes(5));

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public void Dispose() => _http.Dispose();

    private MetricAnalyzer Analyzer => new(new PrometheusClient(_http));

    [Fact]
    public async Task A_threshold_metric_above_its_max_fails_with_the_resolved_query_value_and_threshold()
    {
        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "error-rate", Query = ErrorRate, Max = 0.01 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Failed, MetricAnalyzer.AboveMax), (measurement.Verdict, measurement.Reason));
        Assert.Equal(0.05, measurement.Value, 12);
        Assert.Equal(ErrorRate.Replace("{{rollout}}", "demo", StringComparison.Ordinal), measurement.Query);
        Assert.Contains("error-rate = 0.05 (max 0.01)", measurement.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_threshold_metric_within_its_bounds_passes()
    {
        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "error-rate", Query = ErrorRate, Min = 0.01, Max = 0.1 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Passed, MetricAnalyzer.WithinThreshold, 0.05), (measurement.Verdict, measurement.Reason, Math.Round(measurement.Value, 12)));
    }

    [Fact]
    public async Task A_rate_of_counters_that_do_not_move_is_NaN_and_inconclusive()
    {
        var query = """sum(rate(whetstone_inference_requests_total{rollout="{{rollout}}",track="canary",outcome="error"}[30s])) / sum(rate(whetstone_inference_requests_total{rollout="{{rollout}}",track="canary"}[30s]))""";

        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "error-rate", Query = query, Max = 0.01 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Inconclusive, QueryProblems.NotANumber), (measurement.Verdict, measurement.Reason));
    }

    [Fact]
    public async Task A_query_matching_no_series_is_an_empty_vector_and_inconclusive()
    {
        var target = Demo with { Rollout = "nobody" };

        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "error-rate", Query = ErrorRate, Max = 0.01 }, target, Now, default);

        Assert.Equal((AnalysisVerdicts.Inconclusive, QueryProblems.EmptyResult), (measurement.Verdict, measurement.Reason));
        Assert.Contains("rollout=\"nobody\"", measurement.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_PromQL_is_an_error_carrying_Prometheus_message()
    {
        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "broken", Query = "sum(rate(x[1m]", Max = 1 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Error, QueryProblems.QueryFailed), (measurement.Verdict, measurement.Reason));
        Assert.Contains("parse error", measurement.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_returning_several_series_is_an_error_asking_for_aggregation()
    {
        var query = """whetstone_inference_requests_total{rollout="{{rollout}}"}""";

        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "requests", Query = query, Max = 1 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Error, QueryProblems.Ambiguous), (measurement.Verdict, measurement.Reason));
        Assert.Contains("3 series", measurement.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scalar_result_is_a_value()
    {
        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "scalar", Query = "scalar(sum(whetstone_north_star_attempts_total{rollout=\"{{rollout}}\"}))", Max = 20000 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Passed, 10000.0), (measurement.Verdict, measurement.Value));
    }

    [Fact]
    public async Task An_unreachable_Prometheus_is_an_error()
    {
        var address = $"http://127.0.0.1:{ClusterFixture.FreePort()}";

        var measurement = await Analyzer.MeasureAsync(address, new AnalysisMetric { Name = "error-rate", Query = ErrorRate, Max = 0.01 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Error, QueryProblems.Unreachable), (measurement.Verdict, measurement.Reason));
    }

    [Fact]
    public async Task An_unknown_placeholder_is_an_error_naming_it_and_is_never_sent()
    {
        var measurement = await Analyzer.MeasureAsync(fixture.Address, new AnalysisMetric { Name = "typo", Query = "sum(x{rollout=\"{{rollot}}\"})", Max = 1 }, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Error, MetricAnalyzer.InvalidQuery), (measurement.Verdict, measurement.Reason));
        Assert.Contains("{{rollot}}", measurement.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comparison_reads_both_tracks_through_the_track_placeholder_and_fails_a_worse_canary()
    {
        var metric = new AnalysisMetric
        {
            Name = "conversion",
            Compare = new MetricComparison
            {
                SuccessQuery = """sum(whetstone_north_star_successes_total{rollout="{{rollout}}",track="{{track}}",version="{{version}}"})""",
                TotalQuery = """sum(whetstone_north_star_attempts_total{rollout="{{rollout}}",track="{{track}}"})""",
            },
        };

        var measurement = await Analyzer.MeasureAsync(fixture.Address, metric, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Failed, TwoProportionTest.Worse), (measurement.Verdict, measurement.Reason));
        Assert.Equal(0.5 / 0.6, measurement.Value, 12);
        Assert.Contains("canary 2500/5000", measurement.Message, StringComparison.Ordinal);
        Assert.Contains("stable 3000/5000", measurement.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comparison_with_a_track_missing_is_inconclusive()
    {
        var metric = new AnalysisMetric
        {
            Name = "conversion",
            Compare = new MetricComparison
            {
                SuccessQuery = """sum(whetstone_north_star_successes_total{rollout="{{rollout}}",track="{{track}}",version="9.9.9"})""",
                TotalQuery = """sum(whetstone_north_star_attempts_total{rollout="{{rollout}}",track="{{track}}"})""",
            },
        };

        var measurement = await Analyzer.MeasureAsync(fixture.Address, metric, Demo, Now, default);

        Assert.Equal((AnalysisVerdicts.Inconclusive, QueryProblems.EmptyResult), (measurement.Verdict, measurement.Reason));
    }
}
