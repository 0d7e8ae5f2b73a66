using System.Text.Json;
using k8s;
using k8s.Models;
using Whetstone.LocalCluster.Gateway;
using Whetstone.LocalCluster.Tests.Node;
using Xunit.Abstractions;

namespace Whetstone.LocalCluster.Tests.Gateway;

[Collection(LocalNodeClusterCollection.Name)]
public sealed class HttpRouteGatewayIntegrationTest(LocalNodeClusterFixture cluster, ITestOutputHelper output)
{
    private const int Requests = 1000;

    private const string Routes = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: split
        spec:
          parentRefs: [{name: whetstone}]
          rules:
          - matches:
            - headers: [{name: x-track, value: canary}]
            backendRefs: [{name: canary, port: 80}]
          - backendRefs:
            - {name: stable, port: 80, weight: 80}
            - {name: canary, port: 80, weight: 20}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: broken
        spec:
          parentRefs: [{name: whetstone}]
          hostnames: [broken.example]
          rules:
          - backendRefs: [{name: missing, port: 80}]
        """;

    [Fact]
    public async Task Weighted_backends_split_traffic_within_the_binomial_interval_and_a_header_match_routes_deterministically()
    {
        var ns = await cluster.CreateNamespaceAsync();
        foreach (var track in new[] { "stable", "canary" })
        {
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(HttpServerPods.Pod(track + "-pod", track), ns);
            await cluster.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = track },
                Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = track }, Ports = [new V1ServicePort { Port = 80, TargetPort = "http" }] },
            }, ns);
        }

        var manifest = Path.Combine(cluster.DataDirectory, ns + "-routes.yaml");
        await File.WriteAllTextAsync(manifest, Routes);
        await cluster.KubectlAsync("apply", "-n", ns, "-f", manifest);
        await using var gateway = await HttpRouteGateway.StartAsync(
            cluster.Server.KubeconfigPath, new GatewayOptions { Port = 0, Seed = 20261204 }, cluster.Loggers, CancellationToken.None);
        await cluster.WaitForPodAsync(ns, "stable-pod", HttpServerPods.IsReady);
        await cluster.WaitForPodAsync(ns, "canary-pod", HttpServerPods.IsReady);
        await WaitForConditionAsync(ns, "split", "ResolvedRefs", "True", "ResolvedRefs");
        await WaitForConditionAsync(ns, "split", "Accepted", "True", "Accepted");
        await WaitForConditionAsync(ns, "broken", "ResolvedRefs", "False", "BackendNotFound");
        using var http = HttpServerPods.Client();
        await WaitUntilServedAsync(http, gateway.Address);

        var answers = await HttpServerPods.AskWhoAsync(http, gateway.Address.Authority, Requests);
        var stable = answers.Count(a => a == "stable-pod");
        var (low, high) = BinomialInterval.Central99(Requests, 0.8);
        output.WriteLine($"gateway split over {Requests} requests: stable {stable}, canary {Requests - stable} (99 % interval for stable: {low}..{high})");
        Assert.Equal(Requests, stable + answers.Count(a => a == "canary-pod"));
        Assert.InRange(stable, low, high);

        for (var i = 0; i < 50; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Address, "/whoami"));
            request.Headers.Add("x-track", "canary");
            using var response = await http.SendAsync(request);
            Assert.Equal("canary-pod", (await response.Content.ReadAsStringAsync()).Trim());
        }

        using var broken = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Address, "/whoami"));
        broken.Headers.Host = "broken.example";
        using var brokenResponse = await http.SendAsync(broken);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, brokenResponse.StatusCode);
    }

    // Until the gateway has answered from both backends: it reloads as each Service's endpoints become ready, so a
    // first success says only that one backend is known.
    private static async Task WaitUntilServedAsync(HttpClient http, Uri gateway)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri(gateway, "/whoami"));
            if (response.IsSuccessStatusCode)
            {
                seen.Add((await response.Content.ReadAsStringAsync()).Trim());
                if (seen.Contains("stable-pod") && seen.Contains("canary-pod"))
                {
                    return;
                }
                continue;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the gateway never served both backends (answered by: {string.Join(", ", seen)})");
    }

    private async Task WaitForConditionAsync(string ns, string route, string type, string status, string reason)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var found = (JsonElement)await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(HttpRouteCrd.Group, HttpRouteCrd.Version, ns, HttpRouteCrd.Plural, route);
            last = found.GetRawText();
            if (found.TryGetProperty("status", out var routeStatus) && routeStatus.GetProperty("parents").EnumerateArray()
                .SelectMany(parent => parent.GetProperty("conditions").EnumerateArray())
                .Any(c => c.GetProperty("type").GetString() == type && c.GetProperty("status").GetString() == status && c.GetProperty("reason").GetString() == reason))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"HTTPRoute {ns}/{route} never had {type}={status} ({reason}); last: {last}");
    }
}
