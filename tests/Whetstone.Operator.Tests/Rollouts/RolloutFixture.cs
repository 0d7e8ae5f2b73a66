using k8s;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Tests.EndToEnd;
using Whetstone.Operator.Tests.Rollouts.Analysis;
using Whetstone.Operator.Tests.Runtime.Metrics;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// The embedded default (API server with the committed CRDs, local node, operator host) for ModelRollout controller
/// tests, plus Debian's Prometheus scraping a fixed exporter. The serving image maps to a process that runs until
/// stopped and answers the readiness probe: these tests are about the controller (children, weights, steps,
/// annotations, analysis), and the
/// inference server of issue 16 is not on this branch.
/// </summary>
public sealed class RolloutFixture : IAsyncLifetime
{
    public const string ServingImage = "whetstone/worker:rollout-test";

    /// <summary>Rollout <c>broken</c>: 5 % errors on the canary. Rollout <c>healthy</c>: none.</summary>
    public const string Exposition = """
        # TYPE whetstone_inference_requests_total counter
        whetstone_inference_requests_total{rollout="broken",track="canary",outcome="error"} 50
        whetstone_inference_requests_total{rollout="broken",track="canary",outcome="success"} 950
        whetstone_inference_requests_total{rollout="healthy",track="canary",outcome="error"} 0
        whetstone_inference_requests_total{rollout="healthy",track="canary",outcome="success"} 1000

        """;

    // Answers every GET (the kubelet's /readyz probe) with 200 on the pod's address and the --port it is given.
    private const string ReadyServer = """
        import http.server, os, sys
        port = int(sys.argv[sys.argv.index("--port") + 1])
        class Ready(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
            def log_message(self, *args):
                pass
        http.server.HTTPServer((os.environ["WHETSTONE_POD_IP"], port), Ready).serve_forever()
        """;

    private EmbeddedDefault _cluster = null!;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>The real kubectl against the embedded API server.</summary>
    public Kubectl Kubectl => new(_cluster.Server.KubeconfigPath);

    public FixedExporter Exporter { get; private set; } = null!;

    public PrometheusProcess Prometheus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Exporter = await FixedExporter.StartAsync(Exposition);
        Prometheus = PrometheusProcess.Start(Exporter.Target);
        _cluster = await EmbeddedDefault.StartAsync(
            Path.Combine(Path.GetTempPath(), $"whetstone-rollout-{Guid.NewGuid():N}"),
            ServingImage,
            new ImageCommand { FileName = "/usr/bin/python3", Args = ["-c", ReadyServer] },
            gpuSlots: 0,
            new Dictionary<string, string?> { ["Whetstone:LeaderElection:Namespace"] = "default" },
            async server =>
            {
                Client = ClusterFixture.Connect(server);
                await OperatorFixture.ApplyCrdsAsync(Client);
            });
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                var response = await Prometheus.QueryAsync("count(whetstone_inference_requests_total)");
                return response["data"]?["result"]?.AsArray().Count > 0;
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException)
            {
                return false; // Still starting: Prometheus answers 503 "Service Unavailable" as plain text.
            }
        }, "Prometheus scraped the fixed exporter", TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _cluster.DisposeAsync();
        await Prometheus.DisposeAsync();
        await Exporter.DisposeAsync();
    }
}
