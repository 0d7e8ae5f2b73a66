using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.LocalCluster.Gateway;
using Whetstone.LocalCluster.Tests.Node;
using Xunit.Abstractions;

namespace Whetstone.LocalCluster.Tests.Gateway;

/// <summary>
/// Sticky assignment through the embedded gateway with two real HTTP servers: a route annotated with
/// <c>whetstone.dev/sticky-header</c> keeps each user on one backend, and raising the canary's weight only moves
/// users toward it; requests without the header are still split per request.
/// </summary>
[Collection(LocalNodeClusterCollection.Name)]
public sealed class StickyGatewayIntegrationTest(LocalNodeClusterFixture cluster, ITestOutputHelper output)
{
    private const string Host = "sticky.example";
    private const string Header = "x-user-id";
    private const int UserCount = 200;
    private const int Asks = 3;
    private const int Keyless = 400;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    // An Exact path on its own hostname: it outranks the catch-all routes other tests leave in this cluster, and
    // their requests (to other hosts) never match it.
    private static string Route(int canaryWeight) => $$$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: sticky
          annotations: {"{{{StickyBuckets.RouteAnnotation}}}": {{{Header}}}}
        spec:
          parentRefs: [{name: whetstone}]
          hostnames: [{{{Host}}}]
          rules:
          - matches: [{path: {type: Exact, value: /whoami}}]
            backendRefs:
            - {name: stable, port: 80, weight: {{{100 - canaryWeight}}}}
            - {name: canary, port: 80, weight: {{{canaryWeight}}}}
        """;

    private static IReadOnlyList<string> Users { get; } = [.. Enumerable.Range(0, UserCount).Select(i => "user-" + i.ToString(CultureInfo.InvariantCulture))];

    private static string Expected(string user, int canaryWeight) => StickyBuckets.Bucket(user) < canaryWeight * 100 ? "canary-pod" : "stable-pod";

    [Fact]
    public async Task A_user_keeps_one_backend_and_raising_the_canary_weight_only_moves_users_to_the_canary()
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

        await ApplyRouteAsync(ns, 25);
        try
        {
            await using var gateway = await HttpRouteGateway.StartAsync(
                cluster.Server.KubeconfigPath, new GatewayOptions { Port = 0, Seed = 20261205 }, cluster.Loggers, CancellationToken.None);
            await cluster.WaitForPodAsync(ns, "stable-pod", HttpServerPods.IsReady);
            await cluster.WaitForPodAsync(ns, "canary-pod", HttpServerPods.IsReady);
            using var http = HttpServerPods.Client();
            await WaitUntilServedAsync(http, gateway.Address, 25);

            // At 25 %: every user, asked several times, reaches the backend of its bucket, and one user asked often stays put.
            var before = await AskEveryUserAsync(http, gateway.Address, 25);
            var frequent = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 100; i++)
            {
                frequent.Add(await AskAsync(http, gateway.Address, Users[0]));
            }

            Assert.Equal([Expected(Users[0], 25)], frequent);

            // Without the header: per request, within the binomial 99 % interval of the weights.
            var keyless = 0;
            for (var i = 0; i < Keyless; i++)
            {
                keyless += await AskAsync(http, gateway.Address, user: null) == "canary-pod" ? 1 : 0;
            }

            var (low, high) = BinomialInterval.Central99(Keyless, 0.25);
            output.WriteLine($"keyless requests on the canary: {keyless} of {Keyless} (99 % interval {low}..{high})");
            Assert.InRange(keyless, low, high);

            // Raise the canary to 50 % and then 100 %: users move to the canary, never back.
            foreach (var weight in new[] { 50, 100 })
            {
                await ApplyRouteAsync(ns, weight);
                await WaitUntilServedAsync(http, gateway.Address, weight);
                var after = await AskEveryUserAsync(http, gateway.Address, weight);
                var movedBack = Users.Where(u => before[u] == "canary-pod" && after[u] == "stable-pod").ToList();
                var moved = Users.Count(u => before[u] == "stable-pod" && after[u] == "canary-pod");
                output.WriteLine($"canary weight {weight}: {after.Values.Count(v => v == "canary-pod")} of {UserCount} users on the canary, {moved} moved there, {movedBack.Count} moved back");
                Assert.Empty(movedBack);
                Assert.True(moved > 0, $"raising the canary weight to {weight} moved nobody");
                before = after;
            }

            Assert.All(before.Values, v => Assert.Equal("canary-pod", v));
        }
        finally
        {
            await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(HttpRouteCrd.Group, HttpRouteCrd.Version, ns, HttpRouteCrd.Plural, "sticky");
        }
    }

    private async Task ApplyRouteAsync(string ns, int canaryWeight)
    {
        var manifest = Path.Combine(cluster.DataDirectory, $"{ns}-sticky-{canaryWeight}.yaml");
        await File.WriteAllTextAsync(manifest, Route(canaryWeight));
        await cluster.KubectlAsync("apply", "-n", ns, "-f", manifest);
    }

    // Each user asked Asks times: all answers the same and the backend its bucket names at this weight.
    private static async Task<Dictionary<string, string>> AskEveryUserAsync(HttpClient http, Uri gateway, int canaryWeight)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in Users)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < Asks; i++)
            {
                seen.Add(await AskAsync(http, gateway, user));
            }

            Assert.True(seen.Count == 1, $"{user} reached {string.Join(" and ", seen)} at canary weight {canaryWeight}");
            Assert.Equal(Expected(user, canaryWeight), seen.Single());
            answers[user] = seen.Single();
        }

        return answers;
    }

    private static async Task<string> AskAsync(HttpClient http, Uri gateway, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, "/whoami"));
        request.Headers.Host = Host;
        if (user is not null)
        {
            request.Headers.Add(Header, user);
        }

        using var response = await http.SendAsync(request);
        var body = (await response.Content.ReadAsStringAsync()).Trim();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    // Until the gateway serves this weight: one user from each side of the boundary reaches the backend its bucket
    // names (the gateway reloads on watch events, and endpoints become ready one Service at a time).
    private static async Task WaitUntilServedAsync(HttpClient http, Uri gateway, int canaryWeight)
    {
        var probes = new[]
        {
            Users.Last(u => Expected(u, canaryWeight) == "canary-pod" && StickyBuckets.Bucket(u) >= (canaryWeight - 25) * 100),
            Users.FirstOrDefault(u => Expected(u, canaryWeight) == "stable-pod"),
        }.OfType<string>().ToList();
        var deadline = DateTime.UtcNow + Patience;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var answers = new List<string>();
            foreach (var probe in probes)
            {
                using var ask = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, "/whoami"));
                ask.Headers.Host = Host;
                ask.Headers.Add(Header, probe);
                using var response = await http.SendAsync(ask);
                answers.Add(response.IsSuccessStatusCode ? (await response.Content.ReadAsStringAsync()).Trim() : $"{(int)response.StatusCode}");
            }

            last = string.Join(", ", answers);
            if (probes.Select(p => Expected(p, canaryWeight)).SequenceEqual(answers))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the gateway never served canary weight {canaryWeight} (probes {string.Join(", ", probes)} answered by {last})");
    }
}
