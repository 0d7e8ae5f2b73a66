using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Monitoring;
using Whetstone.LocalCluster.Node;

namespace Whetstone.Operator.Bench;

/// <summary>
/// <c>--rollouts N</c> (see README.md): N ModelRollouts analysing at once against one real Prometheus that scrapes
/// every second; the operator's CPU and memory while they analyse; then half of them get a broken metric and the time
/// from the break to each rollback (weight 0) is measured, while the other half must stay where they are.
/// </summary>
internal sealed class RolloutBenchmark(BenchOptions options)
{
    private const string WorkerImage = "whetstone/worker:bench";
    private const string Namespace = "bench";

    // Each serving pod is a real HTTP server that answers /readyz (Python's, 20 MB) instead of the model server: the
    // figures are the operator's analysis, not inference.
    private const string ServingScript = "mkdir -p \"$WHETSTONE_POD_WORKDIR/www\" && touch \"$WHETSTONE_POD_WORKDIR/www/readyz\" && exec python3 -m http.server 8080 --bind \"$WHETSTONE_POD_IP\" --directory \"$WHETSTONE_POD_WORKDIR/www\" >/dev/null 2>&1";

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var output = Console.Out;
        var interval = options.AnalysisInterval;
        var names = Enumerable.Range(1, options.Rollouts).Select(i => $"r-{i.ToString("D3", CultureInfo.InvariantCulture)}").ToList();
        var broken = names.Where((_, i) => i % 2 == 0).ToList();
        var loadBefore = OperatorBenchmark.LoadAverage();
        output.WriteLine($"Rollout analysis benchmark: {options.Rollouts} ModelRollouts analysing every {interval.TotalSeconds:0.#} s against one Prometheus (scrape every 1 s); {Environment.ProcessorCount} CPUs; load average {loadBefore}");
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-rollout-bench-{Guid.NewGuid():N}");
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = dataDirectory }, cancellationToken);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath), new UserAgentHandler(OperatorBenchmark.BenchAgent));
        await OperatorBenchmark.InstallCrdsAsync(client, cancellationToken);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: cancellationToken);
        await using var node = await LocalNode.StartAsync(
            new LocalNodeOptions
            {
                DataDirectory = dataDirectory,
                Cpu = "64",
                Memory = "256Gi",
                MaxPods = 2 * options.Rollouts + 20,
                Images = new Dictionary<string, ImageCommand> { [WorkerImage] = new() { FileName = "/bin/sh", Args = ["-c", ServingScript] } },
            },
            server.KubeconfigPath,
            NullLoggerFactory.Instance,
            cancellationToken);
        using var metrics = new MetricSwitch(names, OperatorProcess.FreePort());
        var prometheusOptions = new PrometheusOptions { Port = 0, ScrapeInterval = TimeSpan.FromSeconds(1) };
        prometheusOptions.StaticTargets.Add(metrics.Address);
        await using var prometheus = await PrometheusServer.StartAsync(server.BaseAddress, dataDirectory, prometheusOptions, NullLogger.Instance, cancellationToken);
        await using var op = await OperatorProcess.StartAsync(server.KubeconfigPath, WorkerImage, options.OperatorWorkers, options.OperatorEnvironment, cancellationToken);
        var idleRss = op.RssBytes;

        // 1. Every rollout reaches its long pause at 50 % and analyses.
        var t0 = Stopwatch.GetTimestamp();
        foreach (var name in names)
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(Rollout(name, prometheus.Address, interval), WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.ModelRollouts, cancellationToken: cancellationToken);
        }

        var analysing = await OperatorBenchmark.WaitAsync(async () => (await ListAsync(client, cancellationToken)).Count(r => r.Status is { Phase: RolloutPhases.Paused, LastAnalysisTime: not null }) == names.Count, options.Timeout, cancellationToken);
        var analysingAfter = Stopwatch.GetElapsedTime(t0);
        output.WriteLine(analysing
            ? $"  all {names.Count} paused at 50 % and analysing after {analysingAfter.TotalSeconds:F1} s"
            : $"  timed out: {string.Join(", ", (await ListAsync(client, cancellationToken)).GroupBy(r => r.Status?.Phase ?? "none").Select(g => $"{g.Count()} {g.Key}"))}");
        if (!analysing)
        {
            return 1;
        }

        // 2. The steady window: operator CPU and memory while every rollout analyses.
        var measurementsBefore = await op.ScrapeAsync("whetstone_rollout_analysis_results_total", cancellationToken);
        var cpuBefore = CpuSeconds(op.ProcessId);
        var window = Stopwatch.StartNew();
        var rss = new List<long>();
        while (window.Elapsed < options.SteadyWindow)
        {
            rss.Add(op.RssBytes);
            await Task.Delay(500, cancellationToken);
        }

        var cpu = (CpuSeconds(op.ProcessId) - cpuBefore) / window.Elapsed.TotalSeconds;
        var measured = (await op.ScrapeAsync("whetstone_rollout_analysis_results_total", cancellationToken) - measurementsBefore) / window.Elapsed.TotalSeconds;
        output.WriteLine($"  steady {window.Elapsed.TotalSeconds:F0} s: operator CPU {cpu * 100:F1} % of one core, RSS mean {Mib(rss.Average()):F0} MiB, max {Mib(rss.Max()):F0} MiB (idle before the rollouts {Mib(idleRss):F0} MiB); {measured:F1} measurements/s (expected {names.Count / interval.TotalSeconds:F1})");

        // 3. Half of them break at once; each must reach weight 0 by rollback, the other half must not move.
        var breakAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        metrics.Break(broken);
        var rolledBack = new Dictionary<string, double>(StringComparer.Ordinal);
        var decided = new Dictionary<string, double>(StringComparer.Ordinal);
        while (rolledBack.Count < broken.Count && clock.Elapsed < options.Timeout)
        {
            foreach (var rollout in await ListAsync(client, cancellationToken))
            {
                if (rollout.Status is { Phase: RolloutPhases.RolledBack, CanaryWeight: 0 } && !rolledBack.ContainsKey(rollout.Metadata.Name))
                {
                    rolledBack[rollout.Metadata.Name] = clock.Elapsed.TotalSeconds;

                    // When the operator's failing look ran: what came before it is the scrape and the wait for the
                    // look; what came after, the reconcile's writes and this poll.
                    if (rollout.Status.Analysis?.LastOrDefault(a => a.Verdict == AnalysisVerdicts.Failed) is { At: { } at })
                    {
                        decided[rollout.Metadata.Name] = (at - breakAt).TotalSeconds;
                    }
                }
            }

            await Task.Delay(100, cancellationToken);
        }

        var healthy = (await ListAsync(client, cancellationToken)).Where(r => !broken.Contains(r.Metadata.Name)).ToList();
        var falseRollbacks = healthy.Count(r => r.Status?.Phase != RolloutPhases.Paused);
        var wrong = rolledBack.Keys.Except(broken).Count();
        var times = rolledBack.Where(r => broken.Contains(r.Key)).Select(r => r.Value).Order().ToList();
        var loadAfter = OperatorBenchmark.LoadAverage();
        Report(output, interval, broken.Count, times, falseRollbacks + wrong, cpu, rss, breakAt, loadBefore, loadAfter);
        var looks = decided.Values.Order().ToList();
        var after = decided.Select(d => rolledBack[d.Key] - d.Value).Order().ToList();
        if (looks.Count > 0)
        {
            output.WriteLine($"  where the time went: break → failing look p50 {looks[looks.Count / 2]:F2} s, max {looks[^1]:F2} s; failing look → weight 0 seen p50 {after[after.Count / 2]:F2} s, max {after[^1]:F2} s");
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process: the temp folder is cleaned by the OS.
        }

        return 0;
    }

    private static void Report(TextWriter output, TimeSpan interval, int brokenCount, List<double> times, int falseRollbacks, double cpu, List<long> rss, DateTime breakAt, string loadBefore, string loadAfter)
    {
        double At(double q) => times.Count == 0 ? double.NaN : times[Math.Clamp((int)Math.Ceiling(q * times.Count) - 1, 0, times.Count - 1)];
        var target = 2 * interval.TotalSeconds;
        output.WriteLine($"  broke {brokenCount} metrics at {breakAt:HH:mm:ss.fff}Z: {times.Count} rolled back to weight 0; seconds from the break p50 {At(0.5):F2}, p99 {At(0.99):F2}, max {At(1):F2} ({At(1) / interval.TotalSeconds:F2} analysis intervals); healthy rollouts that moved: {falseRollbacks}");
        output.WriteLine($"  load average {loadBefore} → {loadAfter}");
        output.WriteLine();
        output.WriteLine("| target | measured | met |");
        output.WriteLine("|---|---|---|");
        output.WriteLine($"| broken metric → weight 0 within 2 analysis intervals ({target:0.#} s), 1 s scrape | max {At(1):F2} s, p50 {At(0.5):F2} s, {times.Count}/{brokenCount} rolled back | {(times.Count == brokenCount && At(1) <= target ? "yes" : "NO")} |");
        output.WriteLine($"| no healthy rollout moved | {falseRollbacks} | {(falseRollbacks == 0 ? "yes" : "NO")} |");
        output.WriteLine($"| operator CPU and memory while every rollout analyses | {cpu * 100:F1} % of one core, RSS max {Mib(rss.Max()):F0} MiB | (figure) |");
    }

    private static ModelRollout Rollout(string name, Uri prometheus, TimeSpan interval) => new()
    {
        ApiVersion = $"{WhetstoneApi.Group}/{WhetstoneApi.Version}",
        Kind = Kinds.ModelRollout,
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new ModelRolloutSpec
        {
            Serving = new ServingSpec { Replicas = 2, Port = 8080 },
            Stable = new RolloutTrack { Model = new ModelSource { Uri = "file:///models/bench/1.0.0/" }, Version = "1.0.0" },
            Canary = new RolloutTrack { Model = new ModelSource { Uri = "file:///models/bench/1.1.0/" }, Version = "1.1.0" },
            TrafficRouting = new TrafficRouting { ReplicaRatio = new ReplicaRatioRouting() },
            Strategy = new RolloutStrategy
            {
                Steps = [new RolloutStep { SetWeight = 50 }, new RolloutStep { Pause = new PauseStep { Duration = "1h" } }],
                Analysis = new RolloutAnalysis
                {
                    Interval = string.Create(CultureInfo.InvariantCulture, $"{interval.TotalMilliseconds:0}ms"),
                    Prometheus = new PrometheusSource { Address = prometheus.ToString() },
                    FailureLimit = 0,
                    InconclusiveLimit = 1000,
                    Metrics = [new AnalysisMetric { Name = "broken", Query = "max(bench_canary_broken{rollout=\"{{rollout}}\"})", Max = 0.5 }],
                },
            },
        },
    };

    private static async Task<List<ModelRollout>> ListAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var body = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.ModelRollouts, cancellationToken: cancellationToken);
        return [.. body.GetProperty("items").EnumerateArray().Select(i => KubernetesJson.Deserialize<ModelRollout>(i.GetRawText()))];
    }

    // User plus system CPU time of a process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s).
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double Mib(double bytes) => bytes / (1024 * 1024);
}
