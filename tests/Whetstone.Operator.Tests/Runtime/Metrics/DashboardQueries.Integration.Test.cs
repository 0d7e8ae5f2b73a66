using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Tests.Preflight;

namespace Whetstone.Operator.Tests.Runtime.Metrics;

/// <summary>
/// Every query of the Grafana dashboard (helm/whetstone/files/grafana/whetstone.json) against a real Prometheus that
/// scrapes a running operator after it ran a retried job and a GPU job: no query may fail, name a metric Prometheus has
/// never stored, or come back empty. It runs alone, after every other class of the project: the OpenTelemetry
/// exporter selects meters by name across the whole process, so while other classes' operators run, their
/// instruments of the same names are exported beside (or instead of) this operator's, and vanish when those classes
/// end (CI failed on a counter whose only samples had come from an operator already disposed).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardQueriesIntegrationTest(OperatorFixture cluster) : IClassFixture<OperatorFixture>, IDisposable
{
    // Generous: this test shares the machine with every other test class of the project (the CI machine has two cores).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan ScrapePatience = TimeSpan.FromSeconds(180);

    private readonly LocalArtifacts _artifacts = new();

    public void Dispose() => _artifacts.Dispose();

    [Fact]
    public async Task Every_dashboard_query_runs_against_metrics_the_operator_really_exports()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        await RunJobAsync(ns, "flaky-dashboard", gpus: 0);
        await RunJobAsync(ns, "gpu-dashboard", gpus: 1);
        var queries = DashboardQueries().ToList();
        Assert.NotEmpty(queries);

        await using var prometheus = PrometheusProcess.Start($"{cluster.OperatorAddress.Host}:{cluster.OperatorAddress.Port}");
        var names = await WaitForScrapesAsync(prometheus);

        foreach (var (panel, expr) in queries)
        {
            foreach (var metric in MetricName().Matches(expr).Select(m => m.Value).Distinct())
            {
                Assert.True(names.Contains(metric), $"panel \"{panel}\" queries {metric}, which Prometheus never stored");
            }

            var response = await prometheus.QueryAsync(expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal));
            Assert.True((string?)response["status"] == "success", $"panel \"{panel}\": {expr}: {response["error"]}");
            Assert.True(response["data"]!["result"]!.AsArray().Count > 0, $"panel \"{panel}\": {expr} returned nothing");
        }
    }

    private static IEnumerable<(string Panel, string Expr)> DashboardQueries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "helm", "whetstone", "files", "grafana", "whetstone.json")))!;
        return dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => ((string)p["title"]!, (string)t!["expr"]!)));
    }

    // Prometheus has stored the data once every metric of the dashboard arrived and, for each metric, some series has
    // three samples in the last minute (a rate needs two; a first scrape may fail while the operator warms up). Not
    // every series: other test classes run operators in this process, the exporter reads every meter of the operator's
    // name, and their jobs keep adding young series (a phase first seen seconds ago), so the youngest series of a
    // metric can stay under three samples for as long as other tests run. CI saw that.
    private static async Task<IReadOnlySet<string>> WaitForScrapesAsync(PrometheusProcess prometheus)
    {
        IReadOnlySet<string> names = new HashSet<string>();
        var wanted = DashboardQueries().SelectMany(q => MetricName().Matches(q.Expr).Select(m => m.Value)).ToHashSet();
        var deadline = DateTime.UtcNow + ScrapePatience;
        var lastError = "";
        var shortOf = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                names = await prometheus.MetricNamesAsync();
                if (wanted.IsSubsetOf(names))
                {
                    var samples = await SamplesAsync(prometheus, wanted);
                    shortOf = string.Join(", ", samples.Where(s => s.Value < 3).Select(s => $"{s.Key}: {s.Value}"));
                    if (shortOf.Length == 0)
                    {
                        return names;
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // Not listening yet, or too busy to answer within the client's timeout.
                lastError = e.Message;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"within {ScrapePatience.TotalSeconds} s Prometheus did not store three samples of every dashboard metric; missing: [{string.Join(", ", wanted.Except(names))}]; under three samples: [{shortOf}] (it has {string.Join(", ", names.Where(n => n.StartsWith("whetstone_", StringComparison.Ordinal)))}); last error: {lastError}; targets: {await TargetsAsync(prometheus)}");
        return names;
    }

    private static async Task<string> TargetsAsync(PrometheusProcess prometheus)
    {
        try
        {
            return (await prometheus.QueryApiAsync("api/v1/targets?state=any")).ToJsonString();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.Message;
        }
    }

    // For each metric, the samples in the last minute of its best-sampled series.
    private static async Task<Dictionary<string, int>> SamplesAsync(PrometheusProcess prometheus, IEnumerable<string> metrics)
    {
        var samples = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            var result = (await prometheus.QueryAsync($"max(count_over_time({metric}[1m]))"))["data"]?["result"]?.AsArray();
            samples[metric] = result?.FirstOrDefault()?["value"]?[1] is { } value ? int.Parse((string)value!, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }

        return samples;
    }

    private async Task RunJobAsync(string ns, string name, int gpus)
    {
        var job = _artifacts.NewJob(name, ns, gpus);
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs);
        var jobs = new CustomResourceClient<FineTuneJob>(cluster.Client);
        await Eventually.TrueAsync(
            async () => (await jobs.GetAsync(ns, name, CancellationToken.None))?.Status?.Phase == JobPhases.Succeeded, $"{ns}/{name} succeeds", Patience);
    }

    [GeneratedRegex(@"\b(whetstone|dotnet|aspnetcore|kestrel|http_server)_[a-z0-9_]+")]
    private static partial Regex MetricName();
}

/// <summary>The dashboard test's own collection, run after and apart from every parallel one.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class DashboardCollection
{
    public const string Name = "Dashboard queries, alone";
}
