using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Gateway;
using Whetstone.LocalCluster.Monitoring;
using Whetstone.LocalCluster.Tests.Node;
using Xunit.Abstractions;

namespace Whetstone.LocalCluster.Tests.Gateway;

/// <summary>
/// Issue 16's "done when" on one machine: two Deployments of the real <c>whetstone-worker serve</c> for the tiny
/// model (tracks stable and canary), their Services and an HTTPRoute splitting 80/20, all applied with kubectl;
/// completions through the gateway, feedback through the gateway, and both tracks' numbers in Prometheus.
/// </summary>
[Collection(LocalNodeClusterCollection.Name)]
public sealed class ServedModelGatewayIntegrationTest(LocalNodeClusterFixture cluster, ITestOutputHelper output)
{
    private const int Requests = 150;

    // Pod labels stay clear of rollout/track/version: the embedded scrape configuration maps pod labels onto the
    // target, and a target label of the same name would rename the server's own label to exported_track.
    private static string Track(string track, string version) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: tiny-{{track}}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: tiny-{{track}}}
          template:
            metadata:
              labels: {app: tiny-{{track}}}
              annotations: {prometheus.io/scrape: "true", prometheus.io/port: "8080", prometheus.io/path: /metrics}
            spec:
              terminationGracePeriodSeconds: 5
              containers:
              - name: server
                image: {{ServingWorker.Image}}
                args: [serve, --model, "{{ServingWorker.TinyModel}}", --port, "8080", --threads, "1", --max-batch-size, "8"]
                ports: [{name: http, containerPort: 8080}]
                env:
                - name: WHETSTONE_SERVING_HOST
                  valueFrom:
                    fieldRef: {fieldPath: status.podIP}
                - {name: WHETSTONE_ROLLOUT, value: tiny}
                - {name: WHETSTONE_TRACK, value: {{track}}}
                - {name: WHETSTONE_MODEL_VERSION, value: "{{version}}"}
                - {name: WHETSTONE_FEEDBACK_KEY, value: shared-by-the-rollout}
                readinessProbe:
                  httpGet: {path: /readyz, port: 8080}
                  periodSeconds: 1
                  failureThreshold: 1
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: tiny-{{track}}
        spec:
          selector: {app: tiny-{{track}}}
          ports: [{port: 80, targetPort: http}]
        ---
        """;

    // A /v1/ prefix outranks the catch-all routes other tests in this cluster leave behind, whatever their age.
    private const string Route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: tiny
        spec:
          parentRefs: [{name: whetstone}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /v1/}}]
            backendRefs:
            - {name: tiny-stable, port: 80, weight: 80}
            - {name: tiny-canary, port: 80, weight: 20}
        """;

    [Fact]
    public async Task Completions_through_the_gateway_are_served_by_both_tracks_by_weight_and_feedback_lands_on_the_serving_track_in_Prometheus()
    {
        Assert.True(ServingWorker.Executable is not null, "whetstone-worker is not built: dotnet build worker/Whetstone.Worker");
        var ns = await cluster.CreateNamespaceAsync();
        var manifest = Path.Combine(cluster.DataDirectory, ns + "-serving.yaml");
        await File.WriteAllTextAsync(manifest, string.Join("\n", Track("stable", "1.0.0"), Track("canary", "1.1.0"), Route));
        await cluster.KubectlAsync("apply", "-n", ns, "-f", manifest);
        try
        {
            await ServeThroughGatewayAsync(ns);
        }
        finally
        {
            await cluster.KubectlAsync("delete", "-n", ns, "-f", manifest, "--wait=false");
        }
    }

    private async Task ServeThroughGatewayAsync(string ns)
    {
        await using var gateway = await HttpRouteGateway.StartAsync(
            cluster.Server.KubeconfigPath, new GatewayOptions { Port = 0, Seed = 16 }, cluster.Loggers, CancellationToken.None);
        await using var prometheus = await PrometheusServer.StartAsync(
            cluster.Server.BaseAddress, cluster.DataDirectory, new PrometheusOptions { Port = 0, ScrapeInterval = TimeSpan.FromSeconds(1) },
            cluster.Loggers.CreateLogger<ServedModelGatewayIntegrationTest>(), CancellationToken.None);
        await cluster.KubectlAsync("rollout", "status", "-n", ns, "deploy/tiny-stable", "--timeout=120s");
        await cluster.KubectlAsync("rollout", "status", "-n", ns, "deploy/tiny-canary", "--timeout=120s");
        using var http = HttpServerPods.Client();
        await WaitUntilServedByBothAsync(http, gateway.Address);
        var errorQuery = $"sum(rate(whetstone_inference_requests_total{{namespace=\"{ns}\",rollout=\"tiny\",track=\"canary\",outcome=\"error\"}}[1m]))";
        Assert.Equal(0, await QueryAsync(http, prometheus.Address, errorQuery));

        var served = new List<(string Track, string RequestId)>();
        for (var i = 0; i < Requests; i++)
        {
            served.Add(await CompleteAsync(http, gateway.Address, $"Story {i}:"));
        }
        var canary = served.Count(s => s.Track == "canary");
        var (low, high) = BinomialInterval.Central99(Requests, 0.2);
        output.WriteLine($"{Requests} completions through the gateway: canary {canary}, stable {Requests - canary} (99 % interval for canary: {low}..{high})");
        Assert.Equal(Requests, canary + served.Count(s => s.Track == "stable"));
        Assert.InRange(canary, low, high);

        foreach (var (track, id) in served)
        {
            using var feedback = await http.PostAsJsonAsync(new Uri(gateway.Address, "/v1/feedback"), new JsonObject { ["requestId"] = id, ["outcome"] = track == "canary" ? "success" : "failure" });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, feedback.StatusCode);
        }

        var attempts = $"sum by (track) (whetstone_north_star_attempts_total{{namespace=\"{ns}\"}})";
        var successes = $"sum by (track) (whetstone_north_star_successes_total{{namespace=\"{ns}\"}})";
        await WaitForAsync(http, prometheus.Address, $"{attempts}", r => r.TryGetValue("canary", out var c) && c == canary && r.TryGetValue("stable", out var s) && s == Requests - canary);
        var converted = await WaitForAsync(http, prometheus.Address, successes, r => r.GetValueOrDefault("canary") == canary);
        Assert.Equal(0, converted["stable"]);
        Assert.Equal(0, await QueryAsync(http, prometheus.Address, errorQuery));
    }

    private static async Task<(string Track, string RequestId)> CompleteAsync(HttpClient http, Uri gateway, string prompt)
    {
        using var response = await http.PostAsJsonAsync(new Uri(gateway, "/v1/completions"), new JsonObject { ["prompt"] = prompt, ["max_tokens"] = 2, ["temperature"] = 0 });
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = response.Headers.GetValues("x-request-id").Single();
        Assert.Equal(id, body["id"]!.GetValue<string>());
        return (response.Headers.GetValues("x-whetstone-track").Single(), id);
    }

    private static async Task WaitUntilServedByBothAsync(HttpClient http, Uri gateway)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && seen.Count < 2)
        {
            using var response = await http.PostAsJsonAsync(new Uri(gateway, "/v1/completions"), new JsonObject { ["prompt"] = "Hello", ["max_tokens"] = 1 });
            if (response.IsSuccessStatusCode)
            {
                seen.Add(response.Headers.GetValues("x-whetstone-track").Single());
                continue;
            }
            await Task.Delay(200);
        }
        Assert.True(seen.Count == 2, $"the gateway never served both tracks (answered by: {string.Join(", ", seen)})");
    }

    /// <summary>The single value of a query once Prometheus has one (zero, not empty, is the point).</summary>
    private static async Task<double> QueryAsync(HttpClient http, Uri prometheus, string query) =>
        (await WaitForAsync(http, prometheus, query, r => r.Count == 1)).Values.Single();

    /// <summary>Polls a query (bounded, 60 s) until its result, by <c>track</c> label, satisfies <paramref name="done"/>.</summary>
    private static async Task<Dictionary<string, double>> WaitForAsync(HttpClient http, Uri prometheus, string query, Func<Dictionary<string, double>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = await http.GetStringAsync(new Uri(prometheus, "/api/v1/query?query=" + Uri.EscapeDataString(query)));
            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var series in JsonDocument.Parse(last).RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
            {
                var track = series.GetProperty("metric").TryGetProperty("track", out var label) ? label.GetString()! : "";
                result[track] = double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            }
            if (done(result))
            {
                return result;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"Prometheus never answered {query} as expected; last answer: {last}");
        return [];
    }
}
