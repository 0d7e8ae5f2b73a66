using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.LocalCluster.Gateway;
using Whetstone.LocalCluster.Monitoring;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Operators;
using Whetstone.Reliability.Tests.Results;
using Whetstone.Reliability.Tests.Rollouts;

namespace Whetstone.Reliability.Tests.Load;

/// <summary>
/// The soak: one operator process runs for a fixed time (2 minutes by default, <c>WHETSTONE_SOAK_SECONDS</c> for the
/// 10-minute optional mode) while FineTuneJobs keep arriving (200 over the run, each a one-second worker) and a
/// ModelRollout holds its canary at 20 % behind the embedded gateway with an analysis against a real Prometheus every
/// 2 s and continuous HTTP traffic through the gateway. Measured: the operator's resident memory (growth from the
/// first third to the last must stay under 10 %), the API server's latency as a client sees it (a get and a list
/// every 200 ms), and nothing lost: every job Succeeded with one worker pod and a consistent status, every request
/// answered, every analysis look Passed.
/// </summary>
public sealed class SoakIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private const int Jobs = 200;
    private const double MaxMemoryGrowth = 0.10;
    private static readonly TimeSpan ApiP99Target = TimeSpan.FromMilliseconds(100);
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));

    private static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("WHETSTONE_SOAK_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 120);

    [Fact]
    public async Task An_operator_soaked_with_200_jobs_and_a_rollout_under_traffic_keeps_its_memory_and_loses_nothing()
    {
        var duration = Duration;
        var ns = await cluster.NewNamespaceAsync();
        var prometheusOptions = new PrometheusOptions { Port = FreePort(), ScrapeInterval = TimeSpan.FromSeconds(5) };
        await using var prometheus = await PrometheusServer.StartAsync(cluster.ApiServerAddress, cluster.ClusterDirectory, prometheusOptions, NullLogger.Instance, CancellationToken.None);
        await using var gateway = await HttpRouteGateway.StartAsync(cluster.KubeconfigPath, new GatewayOptions { Port = FreePort(), Seed = 5 }, NullLoggerFactory.Instance, CancellationToken.None);
        await using var podLog = await PodCreationLog.StartAsync(cluster.Client, ns);
        await using var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", $"soak-{Guid.NewGuid():N}"[..16], Timings,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Whetstone:Workers:Image"] = ControlPlane.CombinedImage });
        await Eventually.TrueAsync(() => replica.BecameLeaderAt().Count > 0, $"the operator leads\n{replica.Tail()}", TimeSpan.FromSeconds(60));
        await using var recorder = new RolloutRecorder(cluster.Client, ns, "soak");
        await cluster.CreateRouteAsync(ns, "soak");
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Rollout("soak", prometheus.Address), WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts);
        recorder.Start();
        await recorder.WaitForRolloutAsync(r => r.Status is { Phase: RolloutPhases.Paused, CanaryWeight: 20 } && r.Status.Analysis?.Count > 0,
            "the rollout holds at 20 % with its analysis running", TimeSpan.FromSeconds(90), replica);

        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var memory = Task.Run(() => SampleMemoryAsync(replica, clock, stop.Token));
        var probe = Task.Run(() => ProbeApiAsync(ns, clock, stop.Token));
        var traffic = Task.Run(() => SendTrafficAsync(gateway.Address, stop.Token));
        var created = await CreateJobsAsync(ns, duration, stop.Token);
        var rss = await memory;
        var latencies = await probe;
        var requests = await traffic;

        await Eventually.TrueAsync(async () => (await cluster.JobPhasesAsync(ns)).Values.Count(JobPhases.IsTerminal) == created,
            $"every job finishes\n{replica.Tail()}", TimeSpan.FromSeconds(120));
        await podLog.CatchUpAsync();
        var jobs = await cluster.ReadJobsAsync(ns);
        var rollout = await recorder.ReadAsync();
        var pods = podLog.ByJob();
        var problems = jobs.Values.SelectMany(j => FinishedJobs.StatusProblems(j, pods.GetValueOrDefault(j.Metadata.Name) ?? [])).ToList();
        var succeeded = jobs.Values.Count(j => j.Status?.Phase == JobPhases.Succeeded);
        var looks = recorder.Looks();
        var notPassed = looks.Count(a => a.Verdict != AnalysisVerdicts.Passed);

        var third = duration.TotalSeconds / 3;
        var early = Median([.. rss.Where(s => s.At.TotalSeconds < third).Select(s => s.Megabytes)]);
        var late = Median([.. rss.Where(s => s.At.TotalSeconds >= 2 * third).Select(s => s.Megabytes)]);
        var growth = (late / early) - 1;
        var getP99 = Percentile([.. latencies.Where(l => l.Kind == "get").Select(l => l.Milliseconds)], 0.99);
        var listP99 = Percentile([.. latencies.Where(l => l.Kind == "list").Select(l => l.Milliseconds)], 0.99);
        var getP99Early = Percentile([.. latencies.Where(l => l.Kind == "get" && l.At.TotalSeconds < third).Select(l => l.Milliseconds)], 0.99);
        var getP99Late = Percentile([.. latencies.Where(l => l.Kind == "get" && l.At.TotalSeconds >= 2 * third).Select(l => l.Milliseconds)], 0.99);
        var failedRequests = requests.Count(r => r != 200);
        var lost = problems.Count > 0 || succeeded != created || failedRequests > 0 || notPassed > 0;

        ReliabilityResults.Record(new ReliabilityRow(
            $"Soak: one operator process for {duration.TotalMinutes:0.#} minutes with {created} FineTuneJobs arriving steadily and a ModelRollout held at 20 % behind the gateway, analysed every 2 s against Prometheus, under continuous traffic",
            $"{nameof(SoakIntegrationTest)}.{nameof(An_operator_soaked_with_200_jobs_and_a_rollout_under_traffic_keeps_its_memory_and_loses_nothing)}",
            $"operator RSS median {early:0} MiB in the first third, {late:0} MiB in the last ({growth:+0.0%;-0.0%}; {rss.Count} samples, max {rss.Max(s => s.Megabytes):0} MiB); "
            + $"API server as a client sees it: get p99 {getP99:0.0} ms (first third {getP99Early:0.0}, last {getP99Late:0.0}), list of the namespace's jobs p99 {listP99:0.0} ms, {latencies.Count} probes; "
            + $"{succeeded} of {created} jobs Succeeded, worker pods created {pods.Values.Sum(p => p.Count)}, status problems: {(problems.Count == 0 ? "none" : string.Join("; ", problems.Take(5)))}; "
            + $"{requests.Count} requests through the gateway, {failedRequests} not answered 200; {looks.Count} analysis looks, {notPassed} not Passed; rollout {rollout.Status?.Phase} at {rollout.Status?.CanaryWeight} %",
            Recovered: growth < MaxMemoryGrowth && getP99 < ApiP99Target.TotalMilliseconds,
            Lost: lost,
            new Dictionary<string, double>
            {
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                ["jobs"] = created,
                ["rssEarlyMiB"] = Math.Round(early, 1),
                ["rssLateMiB"] = Math.Round(late, 1),
                ["rssGrowth"] = Math.Round(growth, 4),
                ["getP99Ms"] = Math.Round(getP99, 1),
                ["listP99Ms"] = Math.Round(listP99, 1),
                ["requests"] = requests.Count,
                ["failedRequests"] = failedRequests,
                ["analysisLooks"] = looks.Count,
            }));

        Assert.Equal(Jobs, created);
        Assert.Empty(problems);
        Assert.Equal(created, succeeded);
        Assert.True(requests.Count > 100, $"traffic flowed ({requests.Count} requests)");
        Assert.Equal(0, failedRequests);
        Assert.True(looks.Count >= duration.TotalSeconds / 4, $"the analysis kept running ({looks.Count} looks)");
        Assert.Equal(0, notPassed);
        Assert.Equal(RolloutPhases.Paused, rollout.Status?.Phase);
        Assert.True(growth < MaxMemoryGrowth, $"operator memory grew {growth:P1} ({early:0} → {late:0} MiB)");
        Assert.True(getP99 < ApiP99Target.TotalMilliseconds, $"API get p99 {getP99:0.0} ms");
    }

    /// <summary>Creates <see cref="Jobs"/> jobs evenly over the first 80 % of the run; returns how many.</summary>
    private async Task<int> CreateJobsAsync(string ns, TimeSpan duration, CancellationToken stop)
    {
        var every = duration * 0.8 / Jobs;
        var start = Stopwatch.StartNew();
        for (var i = 0; i < Jobs; i++)
        {
            await cluster.CreateJobAsync(ns, $"soak-{i:000}");
            var next = every * (i + 1) - start.Elapsed;
            if (next > TimeSpan.Zero)
            {
                await Task.Delay(next, CancellationToken.None);
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
            // The run's time is up.
        }

        return Jobs;
    }

    private static async Task<List<MemorySample>> SampleMemoryAsync(OperatorReplica replica, Stopwatch clock, CancellationToken stop)
    {
        var samples = new List<MemorySample>();
        while (!stop.IsCancellationRequested)
        {
            if (replica.ResidentMegabytes() is { } megabytes)
            {
                samples.Add(new MemorySample(clock.Elapsed, megabytes));
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return samples;
    }

    private async Task<List<Latency>> ProbeApiAsync(string ns, Stopwatch clock, CancellationToken stop)
    {
        var latencies = new List<Latency>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            await cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts, "soak", CancellationToken.None);
            latencies.Add(new Latency(clock.Elapsed, "get", watch.Elapsed.TotalMilliseconds));
            watch.Restart();
            await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, "finetunejobs", cancellationToken: CancellationToken.None);
            latencies.Add(new Latency(clock.Elapsed, "list", watch.Elapsed.TotalMilliseconds));
            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return latencies;
    }

    /// <summary>GETs through the gateway, one at a time, about 20 a second; returns each answer's status code (0: no answer).</summary>
    private static async Task<List<int>> SendTrafficAsync(Uri gateway, CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
        var codes = new List<int>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/v1/models", UriKind.Relative), CancellationToken.None);
                codes.Add((int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                codes.Add(0);
            }

            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return codes;
    }

    private static ModelRollout Rollout(string name, Uri prometheus) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new ModelRolloutSpec
        {
            Serving = new ServingSpec { Replicas = 1, Port = 8080 },
            Stable = new RolloutTrack { Model = new ModelSource { Uri = "file:///models/support/1.2.0/" }, Version = "1.2.0" },
            Canary = new RolloutTrack { Model = new ModelSource { Uri = "file:///models/support/1.3.0/" }, Version = "1.3.0" },
            TrafficRouting = new TrafficRouting { GatewayAPI = new GatewayApiRouting { HttpRoute = name } },
            Strategy = new RolloutStrategy
            {
                // Held at 20 % for the whole run: only a wrong verdict or a person could move it.
                Steps = [new RolloutStep { SetWeight = 20 }, new RolloutStep { Pause = new PauseStep() }],
                Analysis = new RolloutAnalysis
                {
                    Interval = "2s",
                    Prometheus = new PrometheusSource { Address = prometheus.ToString() },
                    FailureLimit = 0,
                    ConsecutiveErrorLimit = 3,
                    Metrics = [new AnalysisMetric { Name = "constant", Query = "vector(0.001)", Max = 0.01 }],
                },
            },
        },
    };

    private static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    private static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record MemorySample(TimeSpan At, double Megabytes);

    private sealed record Latency(TimeSpan At, string Kind, double Milliseconds);
}
