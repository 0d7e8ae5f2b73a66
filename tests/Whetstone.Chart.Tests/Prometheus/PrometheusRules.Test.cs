using System.Text.Json.Nodes;
using Whetstone.Chart.Tests.Rendering;
using Whetstone.Chart.Tests.Tools;

namespace Whetstone.Chart.Tests.Prometheus;

/// <summary>The alerting rules (helm/whetstone/files/prometheus/rules.yaml) under promtool, Prometheus's own checker.</summary>
public sealed class PrometheusRulesTest
{
    private static string RulesFile => RepositoryRoot.Combine("helm", "whetstone", "files", "prometheus", "rules.yaml");

    [Fact]
    public async Task The_rules_pass_promtool_check_rules()
    {
        var result = await ToolProcess.RunAsync("promtool", ["check", "rules", RulesFile], TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("SUCCESS", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_fires_and_stays_quiet_as_the_unit_tests_expect()
    {
        // Run from the source folder: the test file names the rules by a path relative to it.
        var tests = RepositoryRoot.Combine("tests", "Whetstone.Chart.Tests", "Prometheus", "rules.test.yaml");
        var result = await ToolProcess.RunAsync("promtool", ["test", "rules", Path.GetFileName(tests)], TimeSpan.FromSeconds(60), Path.GetDirectoryName(tests));

        Assert.True(result.ExitCode == 0, result.All);
        var tested = YamlJson.Parse(File.ReadAllText(tests))["tests"]!.AsArray()
            .SelectMany(t => t!["alert_rule_test"]!.AsArray().Select(a => (string)a!["alertname"]!)).ToHashSet();
        var alerts = Groups(File.ReadAllText(RulesFile)).SelectMany(g => g!["rules"]!.AsArray()).Select(r => (string?)r!["alert"]).OfType<string>();
        Assert.All(alerts, a => Assert.Contains(a, tested));
    }

    [Fact]
    public async Task The_PrometheusRule_the_chart_renders_carries_the_tested_rules()
    {
        var chart = await ChartRenderer.RenderAsync("metrics: {prometheusRule: {enabled: true}}\n");

        var rendered = chart.Single("PrometheusRule", "whetstone-operator").Json["spec"]!["groups"]!;
        Assert.True(JsonNode.DeepEquals(Groups(File.ReadAllText(RulesFile)), rendered));
    }

    private static JsonArray Groups(string yaml) => YamlJson.Parse(yaml)["groups"]!.AsArray();
}
