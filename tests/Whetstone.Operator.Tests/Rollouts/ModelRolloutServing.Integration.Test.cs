using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Tests.Cluster;
using Xunit.Abstractions;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// ModelRollouts end to end with real processes only: <c>whetstone-worker serve</c> pods for both tracks, a real
/// Prometheus scraping them through pod discovery, traffic from a bounded load generator through the gateway or the
/// rollout's Service, north-star feedback, and the operator deciding on what Prometheus measured.
/// </summary>
[Collection(RolloutCollections.Prometheus)]
public sealed class ModelRolloutServingIntegrationTest(ServedRolloutFixture fixture, ITestOutputHelper output) : IClassFixture<ServedRolloutFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private IKubernetes Client => fixture.Client;

    [Fact]
    public async Task A_healthy_INT8_canary_is_promoted_through_every_step_and_becomes_the_stable()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        var host = await CreateRouteAsync(ns, "support");
        var rollout = Rollout("support", ns, fixture.Int8Model, ratio: false, replicas: 1,
            [new RolloutStep { SetWeight = 30 }, new RolloutStep { Pause = new PauseStep { Duration = "3s" } }, new RolloutStep { SetWeight = 70 }, new RolloutStep { Pause = new PauseStep { Duration = "3s" } }],
            Conversion());
        await CreateAsync(ns, rollout);
        await using var load = RolloutLoad.Start(fixture.GatewayAddress, RolloutLoad.Question, host: host);

        var weights = new List<int>();
        var promoted = await WaitForAsync(ns, "support", Ended(RolloutPhases.Promoted), load, weights);
        output.WriteLine($"weights seen: {string.Join(" ", weights)}; load: {load}; message: {promoted.Status!.Message}");

        Assert.Equal([30, 70], weights.Where(w => w is 30 or 70).Distinct());
        var status = promoted.Status!;
        Assert.Equal(("1.1.0-int8", new Uri(fixture.Int8Model + "/").AbsoluteUri, 0), (status.StableVersion, status.StableModel!.Uri, status.CanaryWeight));
        Assert.Contains("promoted 1.1.0-int8 (was 1.0.0)", status.Message, StringComparison.Ordinal);
        Assert.Contains(status.Analysis!, a => a.Metric == "error-rate" && a.Verdict == AnalysisVerdicts.Passed && a.Value == 0);
        Assert.DoesNotContain(status.Analysis!, a => a.Verdict == AnalysisVerdicts.Failed);

        // Conversion is answer accuracy: the INT8 canary answers as the stable does, and the comparison said so.
        Assert.Contains(status.Analysis!, a => a.Metric == "conversion" && a.Verdict == AnalysisVerdicts.Passed);
        Assert.True(load.Right("canary") > 0.8 * load.Answered("canary") && load.Right("stable") > 0.8 * load.Answered("stable"), $"both tracks answer right: {load}");
        var stable = await Client.AppsV1.ReadNamespacedDeploymentAsync("support-stable", ns);
        Assert.Contains(new Uri(fixture.Int8Model + "/").AbsoluteUri, stable.Spec.Template.Spec.Containers[0].Args);
        Assert.Equal(0, (await Client.AppsV1.ReadNamespacedDeploymentAsync("support-canary", ns)).Spec.Replicas);
        Assert.True(load.Answered("canary") > 0 && load.Answered("stable") > 0, $"both tracks answered: {load}");

        // The report: both tracks measured in Prometheus over the attempt, every decision, the durations.
        var report = status.Report!;
        output.WriteLine(report.Markdown);
        Assert.Equal((RolloutPhases.Promoted, "1.1.0-int8", "1.0.0"), (report.Outcome, report.CanaryVersion, report.StableVersion));
        Assert.Equal(status.Analysis!.Count, report.Decisions!.Count);
        Assert.True(report.DurationSeconds > 0 && report.StepsCompleted == 4, $"duration {report.DurationSeconds}, steps {report.StepsCompleted}");
        foreach (var track in report.Tracks!)
        {
            Assert.True(track is { Requests: > 0, Attempts: > 0, P99Seconds: > 0, Errors: 0 }, $"{track.Track}: {JsonSerializer.Serialize(track)}; note {report.Note}");
            Assert.True(track.Conversion is { } conversion && conversion >= track.ConversionLow && conversion <= track.ConversionHigh,
                $"{track.Track}: {JsonSerializer.Serialize(track)}; note {report.Note}");
        }

        Assert.Contains("| canary | 1.1.0-int8 |", report.Markdown, StringComparison.Ordinal);

        // Conversion is real: the canary's feedback reached Prometheus through its pods (gone now, hence over time).
        var attempts = await QueryAsync($"sum(max_over_time(whetstone_north_star_attempts_total{{namespace=\"{ns}\",rollout=\"support\",track=\"canary\"}}[10m]))");
        Assert.True(attempts > 0, $"canary north-star attempts in Prometheus: {attempts}");
    }

    [Fact]
    public async Task A_canary_failing_a_share_of_requests_is_rolled_back_on_the_error_rate_naming_metric_value_and_threshold()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        var rollout = Rollout("tools", ns, fixture.BrokenModel, ratio: true, replicas: 2,
            [new RolloutStep { SetWeight = 50 }, new RolloutStep { Pause = new PauseStep { Duration = "30s" } }]);
        await CreateAsync(ns, rollout);
        var service = await WaitForServiceAsync(ns, "tools");

        // Every third question asks for a tool: the canary's tokenizer turns that into a token its model cannot embed.
        await using var load = RolloutLoad.Start(service, i => i % 3 == 0
            ? RolloutLoad.Question(i) with { Prompt = ServedRolloutFixture.UnembeddedToken + " " + RolloutLoad.Question(i).Prompt }
            : RolloutLoad.Question(i));
        var weights = new List<int>();
        var rolledBack = await WaitForAsync(ns, "tools", Ended(RolloutPhases.RolledBack), load, weights);
        output.WriteLine($"weights seen: {string.Join(" ", weights)}; load: {load}; message: {rolledBack.Status!.Message}");
        output.WriteLine($"from the canary's first failed request to the rollback: {(rolledBack.Status.Report?.FinishedAt - load.FirstFailure("canary"))?.TotalSeconds:0.0} s (analysis interval 2 s, scrape 1 s)");

        var status = rolledBack.Status!;
        Assert.Matches(@"error-rate = [0-9.]+ \(max 0\.05\)", status.Message);
        Assert.Contains($"namespace=\"{ns}\"", status.Message, StringComparison.Ordinal);
        var failed = status.Analysis!.Last(a => a.Verdict == AnalysisVerdicts.Failed);
        Assert.True(failed.Value > 0.05, $"measured error rate {failed.Value}");
        Assert.Equal(("1.0.0", 0), (status.StableVersion, status.CanaryWeight));
        Assert.Contains(status.Conditions!, c => c.Type == ConditionTypes.Progressing && c.Reason == ConditionReasons.AnalysisFailed);
        Assert.True(load.Failed("canary") > 0 && load.Failed("stable") == 0, $"only the canary failed requests: {load}");
        Assert.All(weights, w => Assert.Contains(w, new[] { 0, 33, 50 }));
        var report = status.Report!;
        output.WriteLine(report.Markdown);
        Assert.Equal(RolloutPhases.RolledBack, report.Outcome);
        Assert.Contains("error-rate", report.Reason, StringComparison.Ordinal);
        var canary = report.Tracks!.Single(t => t.Track == "canary");
        Assert.True(canary is { Requests: > 0, Errors: > 0 }, $"canary: {JsonSerializer.Serialize(canary)}; note {report.Note}");
        Assert.Equal(0, report.Tracks!.Single(t => t.Track == "stable").Errors);
        Assert.Equal(0, (await Client.AppsV1.ReadNamespacedDeploymentAsync("tools-canary", ns)).Spec.Replicas);
        Assert.Equal(2, (await Client.AppsV1.ReadNamespacedDeploymentAsync("tools-stable", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task An_over_pruned_canary_that_answers_wrong_is_rolled_back_by_the_conversion_comparison_without_a_single_error()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        var host = await CreateRouteAsync(ns, "facts");
        var rollout = Rollout("facts", ns, fixture.OverPrunedModel, ratio: false, replicas: 1,
            [new RolloutStep { SetWeight = 50 }, new RolloutStep { Pause = new PauseStep { Duration = "60s" } }],
            Conversion());
        await CreateAsync(ns, rollout);
        await using var load = RolloutLoad.Start(fixture.GatewayAddress, RolloutLoad.Question, host: host);

        var weights = new List<int>();
        var rolledBack = await WaitForAsync(ns, "facts", Ended(RolloutPhases.RolledBack), load, weights);
        output.WriteLine($"weights seen: {string.Join(" ", weights)}; load: {load}; message: {rolledBack.Status!.Message}");

        // What users saw: every request answered, the canary's answers mostly wrong.
        var status = rolledBack.Status!;
        Assert.True(load.Failed("canary") == 0 && load.Failed("stable") == 0, $"no server errors: {load}");
        Assert.True(load.Right("canary") < 0.5 * load.Answered("canary") && load.Right("stable") > 0.8 * load.Answered("stable"), $"right answers per track: {load}");

        // What the operator decided, and on which metric: the comparison, with its counts, never the error rate.
        Assert.Matches(@"^rolled back: conversion failed .*CanaryWorse: canary [0-9]+/[0-9]+ \([0-9.]+\), stable [0-9]+/[0-9]+", status.Message);
        var failed = status.Analysis!.Last(a => a.Verdict == AnalysisVerdicts.Failed);
        Assert.Equal("conversion", failed.Metric);
        Assert.True(failed.Value < 0.5, $"canary conversion over the stable's: {failed.Value}");
        Assert.DoesNotContain(status.Analysis!, a => a.Metric == "error-rate" && a.Verdict != AnalysisVerdicts.Passed && a.Verdict != AnalysisVerdicts.Inconclusive);
        Assert.Contains(status.Conditions!, c => c.Type == ConditionTypes.Progressing && c.Reason == ConditionReasons.AnalysisFailed);
        Assert.Equal(("1.0.0", 0), (status.StableVersion, status.CanaryWeight));
        var canary = status.Report!.Tracks!.Single(t => t.Track == "canary");
        var stable = status.Report.Tracks!.Single(t => t.Track == "stable");
        Assert.True(canary.Conversion < stable.Conversion && canary.ConversionHigh < stable.ConversionLow,
            $"report: canary {JsonSerializer.Serialize(canary)}, stable {JsonSerializer.Serialize(stable)}; note {status.Report.Note}");
        Assert.Equal(0, (await Client.AppsV1.ReadNamespacedDeploymentAsync("facts-canary", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task A_canary_whose_model_never_loads_is_rolled_back_after_the_canary_ready_timeout_while_the_stable_serves()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        var rollout = Rollout("faq", ns, fixture.UnloadableModel, ratio: true, replicas: 2,
            [new RolloutStep { SetWeight = 50 }, new RolloutStep { Pause = new PauseStep { Duration = "30s" } }]);
        await CreateAsync(ns, rollout);
        var service = await WaitForServiceAsync(ns, "faq");
        await using var load = RolloutLoad.Start(service, RolloutLoad.Question);

        var weights = new List<int>();
        var rolledBack = await WaitForAsync(ns, "faq", Ended(RolloutPhases.RolledBack), load, weights);
        output.WriteLine($"weights seen: {string.Join(" ", weights)}; load: {load}; message: {rolledBack.Status!.Message}");

        var status = rolledBack.Status!;
        Assert.Contains(status.Conditions!, c => c.Type == ConditionTypes.Progressing && c.Reason == ConditionReasons.CanaryNotReady);
        Assert.Contains(status.Conditions!, c => c.Type == ConditionTypes.CanaryReady && c.Status == "False");
        Assert.StartsWith("rolled back: the canary had 0 of 1 ready pods", status.Message, StringComparison.Ordinal);
        var waited = status.Report!.FinishedAt - status.StartTime;
        Assert.True(waited >= ServedRolloutFixture.CanaryReadyTimeout, $"rolled back {waited} after the start");
        Assert.Equal(("1.0.0", 0), (status.StableVersion, status.CanaryWeight));
        Assert.True(load.Answered("stable") > 0 && load.Answered("canary") == 0 && load.Failed("stable") == 0, $"the stable served every request: {load}");
        Assert.Equal(0, (await Client.AppsV1.ReadNamespacedDeploymentAsync("faq-canary", ns)).Spec.Replicas);
    }

    [Fact]
    public async Task Serving_pods_scale_up_under_a_load_step_and_back_down_after_the_stabilization_window_with_the_reason_in_events()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        var rollout = Rollout("busy", ns, fixture.Int8Model, ratio: true, replicas: 2, [new RolloutStep { SetWeight = 50 }, new RolloutStep { Pause = new PauseStep() }]);
        rollout.Spec.Serving!.Autoscaling = new ServingAutoscaling
        {
            MinReplicas = 2, MaxReplicas = 4, TargetInFlightPerReplica = 1, Interval = "2s", ScaleDownStabilization = "20s",
        };
        await CreateAsync(ns, rollout);
        var service = await WaitForServiceAsync(ns, "busy");
        await WaitForReplicasAsync(ns, "busy", total => total == 2, "2 pods before any load");

        // The load step: eight clients without pause keep several requests in flight, more than one per pod.
        var load = RolloutLoad.Start(service, RolloutLoad.Question, workers: 8);
        var (upAt, up) = await WaitForEventAsync(ns, ConditionReasons.ScaledUp, load);
        var scaled = await WaitForReplicasAsync(ns, "busy", total => total > 2, "more than 2 pods under load");
        output.WriteLine($"scaled up at {upAt:O}: {up}; load {load}; {scaled}");
        Assert.Matches(@"^all: 2 → [34] pods: [0-9.]+ requests in flight", (await EventsAsync(ns, ConditionReasons.ScaledUp))[0].Message);

        // The load stops: the count comes back to the minimum, and not before the window since the last high look.
        // It may come down in more than one step (each to the highest recommendation still in the window).
        await load.DisposeAsync();
        await WaitForReplicasAsync(ns, "busy", total => total == 2, "back to 2 pods");
        // The operator changes the Deployments first and records the event after the status: wait for it.
        await WaitForEventAsync(ns, ConditionReasons.ScaledDown, load: null);
        var downs = await EventsAsync(ns, ConditionReasons.ScaledDown);
        var (lastUpAt, _) = (await EventsAsync(ns, ConditionReasons.ScaledUp))[^1];
        var (downAt, _) = downs[0];
        var down = downs[^1].Message;
        output.WriteLine($"scaled down at {string.Join("; ", downs.Select(d => $"{d.At:O}: {d.Message}"))}");
        Assert.Matches(@"^all: [34] → 2 pods: .*the highest recommendation of the last 20s", down);
        // Event times are whole seconds, so a 20 s gap may read as 19.
        Assert.True(downAt - lastUpAt >= TimeSpan.FromSeconds(19), $"scaled down {downAt - lastUpAt} after the last scale-up");
        var status = (await GetAsync(ns, "busy")).Status!;
        Assert.Equal(2, Assert.Single(status.Autoscaling!).Replicas);
        Assert.Equal(RolloutPhases.Paused, status.Phase);
    }

    // The total of both tracks' Deployments' spec.replicas once it satisfies the condition.
    private async Task<string> WaitForReplicasAsync(string ns, string name, Func<int, bool> condition, string what)
    {
        var text = "";
        await Eventually.TrueAsync(async () =>
        {
            var deployments = (await Client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Where(d => d.Metadata.Name.StartsWith(name + "-", StringComparison.Ordinal)).ToList();
            text = string.Join(", ", deployments.Select(d => $"{d.Metadata.Name} {d.Spec.Replicas} ({d.Status?.ReadyReplicas ?? 0} ready)"));
            return deployments.Count == 2 && condition(deployments.Sum(d => d.Spec.Replicas ?? 0));
        }, $"{ns}/{name}: {what}", Patience);
        return text;
    }

    // Every event of one reason in the namespace, oldest first.
    private async Task<List<(DateTime At, string Message)>> EventsAsync(string ns, string reason) =>
        [.. (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Where(e => e.Reason == reason)
            .Select(e => ((e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp)!.Value, e.Message)).OrderBy(e => e.Item1)];

    private async Task<(DateTime At, string Message)> WaitForEventAsync(string ns, string reason, RolloutLoad? load)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var found = (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Where(e => e.Reason == reason).OrderBy(e => e.LastTimestamp ?? e.EventTime).LastOrDefault();
            if (found is not null)
            {
                return ((found.LastTimestamp ?? found.EventTime ?? found.FirstTimestamp)!.Value, found.Message);
            }

            await Task.Delay(500);
        }

        var events = (await Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Select(e => $"{e.Reason}: {e.Message}");
        throw new TimeoutException($"no {reason} event in {ns} within {Patience}; load {load}; events: {string.Join(" | ", events)}");
    }

    // Right answers over answers with feedback, canary against stable, cumulative since the analysis started (the
    // examples' form). A 10 % relative margin: both tracks answer the same 32 questions deterministically, so a
    // canary one question worse than the stable (3 %) must still pass; 30 samples a track before any decision.
    private static AnalysisMetric Conversion() => new()
    {
        Name = "conversion",
        Compare = new MetricComparison
        {
            SuccessQuery = """sum(increase(whetstone_north_star_successes_total{namespace="{{namespace}}",rollout="{{rollout}}",track="{{track}}"}[{{window}}]))""",
            TotalQuery = """sum(increase(whetstone_north_star_attempts_total{namespace="{{namespace}}",rollout="{{rollout}}",track="{{track}}"}[{{window}}]))""",
            Test = StatisticalTests.TwoProportionZ,
            MaxRelativeDrop = 0.1,
            Confidence = 0.95,
            MinSamples = 30,
        },
    };

    private ModelRollout Rollout(string name, string ns, string canaryModel, bool ratio, int replicas, List<RolloutStep> steps, params AnalysisMetric[] more) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new ModelRolloutSpec
        {
            Serving = new ServingSpec { Replicas = replicas, Port = 8080, Batching = new BatchingSettings { MaxBatchSize = 8 } },
            Stable = new RolloutTrack { Model = new ModelSource { Uri = new Uri(ServedRolloutFixture.StableModel + "/").AbsoluteUri }, Version = "1.0.0" },
            Canary = new RolloutTrack { Model = new ModelSource { Uri = new Uri(canaryModel + "/").AbsoluteUri }, Version = "1.1.0-int8" },
            TrafficRouting = ratio
                ? new TrafficRouting { ReplicaRatio = new ReplicaRatioRouting() }
                : new TrafficRouting { GatewayAPI = new GatewayApiRouting { HttpRoute = name } },
            Strategy = new RolloutStrategy
            {
                Steps = steps,
                Analysis = new RolloutAnalysis
                {
                    Interval = "2s",
                    Prometheus = new PrometheusSource { Address = fixture.PrometheusAddress.ToString() },
                    FailureLimit = 0,
                    InconclusiveLimit = 200,
                    Metrics =
                    [
                        new AnalysisMetric
                        {
                            Name = "error-rate",
                            Query = """sum(whetstone_inference_requests_total{namespace="{{namespace}}",rollout="{{rollout}}",track="canary",outcome="error"}) / sum(whetstone_inference_requests_total{namespace="{{namespace}}",rollout="{{rollout}}",track="canary"})""",
                            Max = 0.05,
                        },
                        .. more,
                    ],
                },
            },
        },
    };

    private async Task CreateAsync(string ns, ModelRollout rollout) =>
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(rollout, WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts);

    private async Task<ModelRollout> GetAsync(string ns, string name)
    {
        var body = await Client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts, name);
        return KubernetesJson.Deserialize<ModelRollout>(((JsonElement)body).GetRawText());
    }

    // The attempt ended in that phase and its report (written just after the phase) is there.
    private static Func<ModelRollout, bool> Ended(string phase) => r => r.Status?.Phase == phase && r.Status.Report is not null;

    // Polls the rollout, noting every canary weight status shows, until the condition holds or Patience runs out.
    private async Task<ModelRollout> WaitForAsync(string ns, string name, Func<ModelRollout, bool> condition, RolloutLoad load, List<int> weights)
    {
        ModelRollout? last = null;
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(ns, name);
            if (last.Status?.CanaryWeight is { } weight && (weights.Count == 0 || weights[^1] != weight))
            {
                weights.Add(weight);
            }

            if (condition(last))
            {
                return last;
            }

            await Task.Delay(200);
        }

        var pods = await Client.CoreV1.ListNamespacedPodAsync(ns);
        throw new TimeoutException($"{ns}/{name} did not get there within {Patience}: phase {last?.Status?.Phase}, step {last?.Status?.CurrentStep}, message {last?.Status?.Message}; "
            + $"weights {string.Join(" ", weights)}; load {load}; last analysis {JsonSerializer.Serialize(last?.Status?.Analysis?.TakeLast(3))}; "
            + $"pods: {string.Join("; ", pods.Items.Select(p => $"{p.Metadata.Name} {p.Status?.Phase} ready={p.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status}"))}");
    }

    private async Task<Uri> WaitForServiceAsync(string ns, string name)
    {
        V1Service? service = null;
        await Eventually.TrueAsync(async () =>
        {
            service = (await Client.CoreV1.ListNamespacedServiceAsync(ns)).Items.FirstOrDefault(s => s.Metadata.Name == name);
            return service?.Spec.ClusterIP is { Length: > 0 };
        }, $"Service {ns}/{name} has a cluster address", TimeSpan.FromSeconds(60));
        return new Uri($"http://{service!.Spec.ClusterIP}:{service.Spec.Ports[0].Port}/");
    }

    // The route answers only its own hostname: the fixture's one gateway serves every test's route, and two routes
    // matching the same path would take each other's traffic. Returns the hostname.
    private async Task<string> CreateRouteAsync(string ns, string name)
    {
        var host = $"{name}.{ns}.test";
        var route = new JsonObject
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = "HTTPRoute",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = "whetstone" }),
                ["hostnames"] = new JsonArray(host),
                ["rules"] = new JsonArray(new JsonObject { ["matches"] = new JsonArray(new JsonObject { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/v1/" } }) }),
            },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonSerializer.Deserialize<JsonElement>(route.ToJsonString()), "gateway.networking.k8s.io", "v1", ns, "httproutes");
        return host;
    }

    private async Task<double> QueryAsync(string query)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var body = JsonNode.Parse(await http.GetStringAsync(new Uri(fixture.PrometheusAddress, "/api/v1/query?query=" + Uri.EscapeDataString(query))))!;
        var result = body["data"]!["result"]!.AsArray();
        return result.Count == 0 ? double.NaN : double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }
}
