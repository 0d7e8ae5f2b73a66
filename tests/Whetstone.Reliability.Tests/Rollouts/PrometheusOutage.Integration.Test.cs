using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.LocalCluster.Monitoring;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Operators;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Rollouts;

/// <summary>
/// A ModelRollout analysing against a real Prometheus that is killed in the middle of the analysis: first for a moment
/// (restarted on the same port within <c>consecutiveErrorLimit</c>: the analysis resumes), then for good (the limit
/// ends the rollout). The operator is its own process; the serving pods are small processes that answer the readiness
/// probe. The metric is a constant PromQL expression, so every look Prometheus answers is Passed and every look it
/// cannot answer must be Error: nothing else can explain a verdict.
/// </summary>
public sealed class PrometheusOutageIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private const int ErrorLimit = 8;
    private const int ShortOutageLooks = 3;
    private const string Query = "vector(0.001)";
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Prometheus_down_mid_analysis_gives_Error_looks_resumes_when_it_returns_and_rolls_back_past_the_error_limit()
    {
        var ns = await cluster.NewNamespaceAsync();
        var options = new PrometheusOptions { Port = FreePort(), ScrapeInterval = TimeSpan.FromSeconds(5) };
        PrometheusServer? prometheus = await StartPrometheusAsync(options);
        await using var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", $"prom-{Guid.NewGuid():N}"[..16], Timings,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Whetstone:Workers:Image"] = ControlPlane.ServingImage });
        await using var watch = new RolloutRecorder(cluster.Client, ns, "canary");
        try
        {
            await cluster.CreateRouteAsync(ns, "canary");
            await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Rollout("canary", new Uri($"http://127.0.0.1:{options.Port}/")), WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts);
            watch.Start();
            await watch.WaitAsync(r => r.Count(a => a.Verdict == AnalysisVerdicts.Passed) >= 2, "two Passed looks before the fault", Patience, replica);

            // A short outage: Prometheus killed, then started again on the same port before the limit is reached.
            var shortKill = DateTime.UtcNow;
            await KillAsync(prometheus);
            prometheus = null;
            await watch.WaitAsync(r => r.Count(a => a.At >= shortKill) >= ShortOutageLooks, $"{ShortOutageLooks} looks while Prometheus is down", Patience, replica);
            var restartClock = Stopwatch.StartNew();
            prometheus = await StartPrometheusAsync(options);
            var back = DateTime.UtcNow;
            await watch.WaitAsync(r => r.Any(a => a.At >= back && a.Verdict == AnalysisVerdicts.Passed), "a Passed look after Prometheus returned", Patience, replica);
            var resumedAfter = restartClock.Elapsed;
            var shortOutage = watch.Looks().Where(a => a.At >= shortKill && a.At < back).ToList();
            var afterResume = await watch.ReadAsync();

            // A long outage: killed and left down until the limit ends the rollout.
            var longKill = DateTime.UtcNow;
            await KillAsync(prometheus);
            prometheus = null;
            var rolledBack = await watch.WaitForRolloutAsync(r => r.Status?.Phase is RolloutPhases.RolledBack or RolloutPhases.Promoted or RolloutPhases.Failed,
                "the rollout ends", Patience, replica);
            var endedAfter = DateTime.UtcNow - longKill;
            var longOutage = watch.Looks().Where(a => a.At >= longKill).ToList();
            var phases = watch.PhasesSeen();
            var weights = watch.CanaryWeightsSeen();
            var progressing = rolledBack.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Progressing);
            var everyOutageLookError = shortOutage.Concat(longOutage).All(a => a.Verdict == AnalysisVerdicts.Error);
            var errorsNameQuery = shortOutage.Concat(longOutage).All(a => a.Message?.Contains(Query, StringComparison.Ordinal) == true || a.Query == Query);

            ReliabilityResults.Record(new ReliabilityRow(
                "Prometheus SIGKILLed in the middle of a ModelRollout's analysis: once restarted within consecutiveErrorLimit, once left down",
                $"{nameof(PrometheusOutageIntegrationTest)}.{nameof(Prometheus_down_mid_analysis_gives_Error_looks_resumes_when_it_returns_and_rolls_back_past_the_error_limit)}",
                $"short outage: {shortOutage.Count} looks while down, verdicts {Verdicts(shortOutage)}; Prometheus was ready again and the next look Passed {resumedAfter.TotalSeconds:0.0}s after the restart began "
                + $"(consecutiveErrors {afterResume.Status?.ConsecutiveErrors}, phase {afterResume.Status?.Phase}); long outage: {longOutage.Count} looks, verdicts {Verdicts(longOutage)}, "
                + $"the rollout ended {rolledBack.Status?.Phase} ({progressing?.Reason}) {endedAfter.TotalSeconds:0.0}s after the kill with: {rolledBack.Status?.Message}; "
                + $"phases seen: {string.Join(" -> ", phases)}; canary weights seen: {string.Join(",", weights)}",
                Recovered: rolledBack.Status?.Phase == RolloutPhases.RolledBack && everyOutageLookError,
                Lost: phases.Contains(RolloutPhases.Promoted) || !everyOutageLookError,
                new Dictionary<string, double>
                {
                    ["consecutiveErrorLimit"] = ErrorLimit,
                    ["shortOutageErrorLooks"] = shortOutage.Count(a => a.Verdict == AnalysisVerdicts.Error),
                    ["resumedSecondsAfterRestart"] = Math.Round(resumedAfter.TotalSeconds, 2),
                    ["longOutageErrorLooks"] = longOutage.Count(a => a.Verdict == AnalysisVerdicts.Error),
                    ["rolledBackSecondsAfterKill"] = Math.Round(endedAfter.TotalSeconds, 2),
                    ["passedLooksWhileDown"] = shortOutage.Concat(longOutage).Count(a => a.Verdict == AnalysisVerdicts.Passed),
                }));

            Assert.NotEmpty(shortOutage);
            Assert.All(shortOutage, a => Assert.Equal(AnalysisVerdicts.Error, a.Verdict));
            Assert.True(shortOutage.Count <= ErrorLimit, $"the short outage stayed within the limit ({shortOutage.Count} looks)");
            Assert.Equal(0, afterResume.Status?.ConsecutiveErrors ?? 0);
            Assert.NotEqual(RolloutPhases.RolledBack, afterResume.Status?.Phase);
            Assert.All(longOutage, a => Assert.Equal(AnalysisVerdicts.Error, a.Verdict));
            Assert.Equal(ErrorLimit + 1, longOutage.Count);
            Assert.All(shortOutage.Concat(longOutage), a => Assert.Contains(Query, a.Message ?? a.Query, StringComparison.Ordinal));
            Assert.Equal(RolloutPhases.RolledBack, rolledBack.Status?.Phase);
            Assert.Equal(ConditionReasons.AnalysisError, progressing?.Reason);
            Assert.Contains("consecutiveErrorLimit", rolledBack.Status?.Message, StringComparison.Ordinal);
            Assert.Contains(Query, rolledBack.Status?.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(RolloutPhases.Promoted, phases);
            Assert.Equal(0, rolledBack.Status?.CanaryWeight);
            Assert.Equal("1.2.0", rolledBack.Status?.StableVersion);
        }
        finally
        {
            if (prometheus is not null)
            {
                await prometheus.DisposeAsync();
            }
        }
    }

    /// <summary>SIGKILL, as a crashed or evicted Prometheus: no clean shutdown, the port closes at once.</summary>
    private static async Task KillAsync(PrometheusServer prometheus)
    {
        using (var kill = Process.Start("kill", ["-KILL", prometheus.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await prometheus.DisposeAsync();
    }

    private async Task<PrometheusServer> StartPrometheusAsync(PrometheusOptions options) =>
        await PrometheusServer.StartAsync(cluster.ApiServerAddress, cluster.ClusterDirectory, options, NullLogger.Instance, CancellationToken.None);

    private static string Verdicts(IEnumerable<AnalysisResult> looks) =>
        string.Join(",", looks.GroupBy(a => a.Verdict, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));

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
                // A pause with no duration holds the rollout at 20 % while the analysis runs: nothing but a person or
                // the analysis ends it, so a promotion here could only come from a wrong verdict.
                Steps = [new RolloutStep { SetWeight = 20 }, new RolloutStep { Pause = new PauseStep() }],
                Analysis = new RolloutAnalysis
                {
                    Interval = "1s",
                    Prometheus = new PrometheusSource { Address = prometheus.ToString() },
                    FailureLimit = 0,
                    ConsecutiveErrorLimit = ErrorLimit,
                    Metrics = [new AnalysisMetric { Name = "error-rate", Query = Query, Max = 0.01 }],
                },
            },
        },
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
