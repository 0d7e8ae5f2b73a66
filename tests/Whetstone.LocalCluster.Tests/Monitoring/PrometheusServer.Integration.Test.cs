using System.Text.Json;
using k8s;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Monitoring;
using Whetstone.LocalCluster.Tests.Node;

namespace Whetstone.LocalCluster.Tests.Monitoring;

[Collection(LocalNodeClusterCollection.Name)]
public sealed class PrometheusServerIntegrationTest(LocalNodeClusterFixture cluster)
{
    [Fact]
    public async Task Prometheus_discovers_pods_through_the_embedded_API_server_and_scrapes_only_the_annotated_one()
    {
        var ns = await cluster.CreateNamespaceAsync();
        var scraped = HttpServerPods.Pod("scraped", "metrics");
        scraped.Metadata.Annotations = new Dictionary<string, string>
        {
            ["prometheus.io/scrape"] = "true",
            ["prometheus.io/port"] = HttpServerPods.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["prometheus.io/path"] = "/metrics",
        };
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(scraped, ns);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod("ignored", "metrics"), ns);
        await cluster.WaitForPodAsync(ns, "scraped", HttpServerPods.IsReady);

        await using var prometheus = await PrometheusServer.StartAsync(
            cluster.Server.BaseAddress, cluster.DataDirectory, new PrometheusOptions { Port = 0, ScrapeInterval = TimeSpan.FromSeconds(1) },
            cluster.Loggers.CreateLogger<PrometheusServerIntegrationTest>(), CancellationToken.None);

        using var http = HttpServerPods.Client();
        // Until a scrape has succeeded: the first one can land before the pod's server answers (up 0).
        var up = await QueryUntilPresentAsync(http, prometheus.Address, cluster.DataDirectory, $"up{{namespace=\"{ns}\"}} == 1");
        var series = Assert.Single(up.EnumerateArray());
        Assert.Equal("scraped", series.GetProperty("metric").GetProperty("pod").GetString());
        Assert.Equal("1", series.GetProperty("value")[1].GetString());
        var sample = await QueryUntilPresentAsync(http, prometheus.Address, cluster.DataDirectory, $"demo_requests_total{{namespace=\"{ns}\"}}");
        Assert.Equal("7", Assert.Single(sample.EnumerateArray()).GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task A_static_target_that_is_no_annotated_pod_is_scraped_in_its_own_job()
    {
        var ns = await cluster.CreateNamespaceAsync();
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod("outside", "metrics"), ns);
        await cluster.WaitForPodAsync(ns, "outside", HttpServerPods.IsReady);
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("outside", ns);
        var options = new PrometheusOptions { Port = 0, ScrapeInterval = TimeSpan.FromSeconds(1) };
        var target = $"{pod.Status.PodIP}:{HttpServerPods.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        options.StaticTargets.Add(target);

        await using var prometheus = await PrometheusServer.StartAsync(
            cluster.Server.BaseAddress, cluster.DataDirectory, options, cluster.Loggers.CreateLogger<PrometheusServerIntegrationTest>(), CancellationToken.None);

        using var http = HttpServerPods.Client();
        var up = await QueryUntilPresentAsync(http, prometheus.Address, cluster.DataDirectory, $"up{{job=\"static\",instance=\"{target}\"}} == 1");
        Assert.Single(up.EnumerateArray());
        var sample = await QueryUntilPresentAsync(http, prometheus.Address, cluster.DataDirectory, $"demo_requests_total{{job=\"static\",instance=\"{target}\"}}");
        Assert.Equal("7", Assert.Single(sample.EnumerateArray()).GetProperty("value")[1].GetString());
    }

    private static async Task<JsonElement> QueryUntilPresentAsync(HttpClient http, Uri prometheus, string logDirectory, string query)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await http.GetStringAsync(new Uri(prometheus, "/api/v1/query?query=" + Uri.EscapeDataString(query)));
            var result = JsonDocument.Parse(last).RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() > 0)
            {
                return result.Clone();
            }

            await Task.Delay(500);
        }

        var targets = await http.GetStringAsync(new Uri(prometheus, "/api/v1/targets?state=any"));
        var log = File.ReadAllLines(Path.Combine(logDirectory, "prometheus", "prometheus.log")).TakeLast(5);
        Assert.Fail($"Prometheus never returned {query}; last answer: {last}; targets: {targets}; log: {string.Join('\n', log)}");
        return default;
    }
}
