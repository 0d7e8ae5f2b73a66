using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>The ModelRollout controller against the embedded cluster and a real Prometheus.</summary>
[Collection(RolloutCollections.Prometheus)]
public sealed class ModelRolloutControllerIntegrationTest(RolloutFixture fixture) : IClassFixture<RolloutFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private IKubernetes Client => fixture.Client;

    [Fact]
    public async Task Children_carry_the_track_labels_and_weights_and_promotion_hands_all_traffic_to_the_new_stable()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        await CreateRouteAsync(ns, "healthy");
        await CreateAsync(ns, Rollout("healthy", analysis: null));

        var paused = await WaitForAsync(ns, "healthy", r => r.Status?.Phase == RolloutPhases.Paused && r.Status.CurrentStep == 3);
        Assert.Equal(50, paused.Status!.CanaryWeight);
        Assert.Equal("step 4/4: paused until promoted (whetstone.dev/promote=step)", paused.Status.Message);
        var canary = await Client.AppsV1.ReadNamespacedDeploymentAsync("healthy-canary", ns);
        var labels = canary.Spec.Template.Metadata.Labels;
        Assert.Equal(("canary", "healthy", "1.3.0"), (labels[WhetstoneLabels.Track], labels[WhetstoneLabels.Rollout], labels[RolloutChildren.VersionLabel]));
        Assert.Equal(("true", "8080", "/metrics"), (canary.Spec.Template.Metadata.Annotations["prometheus.io/scrape"], canary.Spec.Template.Metadata.Annotations["prometheus.io/port"], canary.Spec.Template.Metadata.Annotations["prometheus.io/path"]));
        var container = canary.Spec.Template.Spec.Containers.Single();
        Assert.Equal(["serve", "--model", "file:///models/support/1.3.0/", "--port", "8080"], container.Args);
        Assert.Contains(container.Env, e => e.Name == RolloutChildren.TrackVariable && e.Value == "canary");
        Assert.Contains(container.Env, e => e.Name == RolloutChildren.VersionVariable && e.Value == "1.3.0");
        Assert.Contains(container.Env, e => e.Name == RolloutChildren.RolloutVariable && e.Value == "healthy");
        Assert.Equal("healthy", canary.Metadata.OwnerReferences.Single(o => o.Controller == true).Name);
        var service = await Client.CoreV1.ReadNamespacedServiceAsync("healthy-canary", ns);
        Assert.Equal("canary", service.Spec.Selector[WhetstoneLabels.Track]);
        Assert.Equal((50, 50), await RouteWeightsAsync(ns, "healthy"));

        await AnnotateAsync(ns, "healthy", WhetstoneAnnotations.Promote, WhetstoneAnnotations.PromoteStep);
        var promoted = await WaitForAsync(ns, "healthy", r => r.Status?.Phase == RolloutPhases.Promoted);

        Assert.Equal(("1.3.0", 0), (promoted.Status!.StableVersion, promoted.Status.CanaryWeight));
        Assert.DoesNotContain(WhetstoneAnnotations.Promote, promoted.Metadata.Annotations?.Keys ?? []);
        var stable = await Client.AppsV1.ReadNamespacedDeploymentAsync("healthy-stable", ns);
        Assert.Equal("1.3.0", stable.Spec.Template.Metadata.Labels[RolloutChildren.VersionLabel]);
        Assert.Equal(0, (await Client.AppsV1.ReadNamespacedDeploymentAsync("healthy-canary", ns)).Spec.Replicas);
        Assert.Equal((100, 0), await RouteWeightsAsync(ns, "healthy"));

        // The same YAML again changes nothing: no redeploy of the old stable, same status.
        var before = (stable.Metadata.ResourceVersion, promoted.Status.Message);
        await ReplaceSpecAsync(ns, "healthy", Rollout("healthy", analysis: null).Spec);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await GetAsync(ns, "healthy");
        Assert.Equal(RolloutPhases.Promoted, after.Status!.Phase);
        Assert.Equal(before, ((await Client.AppsV1.ReadNamespacedDeploymentAsync("healthy-stable", ns)).Metadata.ResourceVersion, after.Status.Message));
        Assert.Contains(after.Status.Conditions!, c => c.Type == ConditionTypes.Degraded && c.Reason == ConditionReasons.StableDiffersFromServing && c.Status == "True");
    }

    [Fact]
    public async Task Abort_by_kubectl_annotate_sends_every_request_to_the_stable_and_scales_the_canary_down()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        await CreateRouteAsync(ns, "healthy");
        await CreateAsync(ns, Rollout("healthy", analysis: null));
        await WaitForAsync(ns, "healthy", r => r.Status?.Phase == RolloutPhases.Paused && r.Status.CurrentStep == 3);
        var table = await fixture.Kubectl.RunOkAsync($"get mro healthy -n {ns}");
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "PHASE", "STEP", "WEIGHT", "STABLE", "CANARY", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["healthy", "Paused", "3", "50", "1.2.0", "1.3.0"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..6]);

        await fixture.Kubectl.RunOkAsync($"annotate mro healthy -n {ns} whetstone.dev/abort=true");
        var rolledBack = await WaitForAsync(ns, "healthy", r => r.Status?.Phase == RolloutPhases.RolledBack);

        Assert.Contains("aborted by hand", rolledBack.Status!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WhetstoneAnnotations.Abort, rolledBack.Metadata.Annotations?.Keys ?? []);
        await Eventually.TrueAsync(async () => await RouteWeightsAsync(ns, "healthy") == (100, 0), "the route sends everything to the stable", Patience);
        Assert.Equal(0, (await Client.AppsV1.ReadNamespacedDeploymentAsync("healthy-canary", ns)).Spec.Replicas);
        var events = await Client.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(events.Items, e => e.Reason == ConditionReasons.RolledBack && e.InvolvedObject.Name == "healthy");
    }

    [Fact]
    public async Task A_threshold_metric_failing_in_Prometheus_rolls_the_canary_back_naming_metric_value_and_threshold()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        await CreateRouteAsync(ns, "broken");
        var analysis = new RolloutAnalysis
        {
            Interval = "1s",
            Prometheus = new PrometheusSource { Address = fixture.Prometheus.Address.ToString() },
            FailureLimit = 0,
            Metrics =
            [
                new AnalysisMetric
                {
                    Name = "error-rate",
                    Query = """sum(whetstone_inference_requests_total{rollout="{{rollout}}",track="canary",outcome="error"}) / sum(whetstone_inference_requests_total{rollout="{{rollout}}",track="canary"})""",
                    Max = 0.01,
                },
            ],
        };
        await CreateAsync(ns, Rollout("broken", analysis));

        var rolledBack = await WaitForAsync(ns, "broken", r => r.Status?.Phase == RolloutPhases.RolledBack);

        Assert.Contains("error-rate = 0.05 (max 0.01)", rolledBack.Status!.Message, StringComparison.Ordinal);
        Assert.Contains("rollout=\"broken\"", rolledBack.Status.Message, StringComparison.Ordinal);
        Assert.Equal(0, rolledBack.Status.CanaryWeight);
        Assert.Contains(rolledBack.Status.Conditions!, c => c.Type == ConditionTypes.Progressing && c.Reason == ConditionReasons.AnalysisFailed);
        Assert.Equal(AnalysisVerdicts.Failed, rolledBack.Status.Analysis!.Last().Verdict);
        await Eventually.TrueAsync(async () => await RouteWeightsAsync(ns, "broken") == (100, 0), "the route sends everything to the stable", Patience);
    }

    [Fact]
    public async Task NaN_and_empty_answers_from_Prometheus_are_inconclusive_and_the_rollout_pauses_for_a_person_instead_of_promoting()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        await CreateRouteAsync(ns, "unmeasured");
        var analysis = new RolloutAnalysis
        {
            Interval = "1s",
            Prometheus = new PrometheusSource { Address = fixture.Prometheus.Address.ToString() },
            FailureLimit = 0,
            InconclusiveLimit = 3,
            Metrics =
            [
                // A canary with no traffic yet: 0 errors over 0 requests.
                new AnalysisMetric { Name = "error-rate", Query = "vector(0) / vector(0)", Max = 0.01 },

                // A metric nobody exports (a typo in a label, or the series not scraped yet).
                new AnalysisMetric { Name = "p99", Query = """sum(whetstone_inference_requests_total{rollout="{{rollout}}",track="none"})""", Max = 0.2 },
            ],
        };
        var rollout = Rollout("unmeasured", analysis);
        rollout.Spec.Strategy.Steps = [new RolloutStep { SetWeight = 20 }, new RolloutStep { Pause = new PauseStep { Duration = "1s" } }];
        await CreateAsync(ns, rollout);

        // Both steps end by themselves after a second; only the missing data can hold the rollout back.
        var paused = await WaitForAsync(ns, "unmeasured", r => r.Status?.Phase == RolloutPhases.Promoted
            || (r.Status?.Phase == RolloutPhases.Paused && r.Status.Conditions?.Any(c => c.Reason == ConditionReasons.AnalysisInconclusive) == true));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var later = await GetAsync(ns, "unmeasured");

        Assert.Equal(RolloutPhases.Paused, paused.Status!.Phase);
        Assert.Equal(RolloutPhases.Paused, later.Status!.Phase);
        Assert.Contains(later.Status.Conditions!, c => c.Type == ConditionTypes.Progressing && c.Reason == ConditionReasons.AnalysisInconclusive);
        Assert.Contains(later.Status.Analysis!, a => a.Metric == "error-rate" && a.Verdict == AnalysisVerdicts.Inconclusive && a.Message!.Contains("NaN", StringComparison.Ordinal));
        Assert.Contains(later.Status.Analysis!, a => a.Metric == "p99" && a.Verdict == AnalysisVerdicts.Inconclusive && a.Message!.Contains("empty", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(later.Status.Analysis!, a => a.Verdict is AnalysisVerdicts.Passed or AnalysisVerdicts.Failed);
        Assert.Equal((80, 20), await RouteWeightsAsync(ns, "unmeasured"));
        var events = await Client.CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(events.Items, e => e.Reason == ConditionReasons.AnalysisInconclusive && e.Message.Contains("paused for a person", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_managed_HTTPRoute_carries_the_sticky_header_while_the_spec_names_one()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(Client);
        await CreateRouteAsync(ns, "ab");
        var rollout = Rollout("ab", analysis: null);
        rollout.Spec.TrafficRouting!.StickyKey = "x-user-id";
        await CreateAsync(ns, rollout);

        await WaitForAsync(ns, "ab", r => r.Status?.Phase == RolloutPhases.Paused && r.Status.CurrentStep == 3);

        // The embedded gateway reads the annotation the operator writes.
        Assert.Equal(WhetstoneAnnotations.StickyHeader, Whetstone.LocalCluster.Gateway.StickyBuckets.RouteAnnotation);
        await Eventually.TrueAsync(async () => await RouteStickyHeaderAsync(ns, "ab") == "x-user-id", "the route names the sticky header", Patience);
        Assert.Equal((50, 50), await RouteWeightsAsync(ns, "ab"));

        var patch = new JsonObject { ["spec"] = new JsonObject { ["trafficRouting"] = new JsonObject { ["stickyKey"] = null } } };
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts, "ab");

        await Eventually.TrueAsync(async () => await RouteStickyHeaderAsync(ns, "ab") is null, "the route loses the sticky header with the spec", Patience);
        Assert.Equal((50, 50), await RouteWeightsAsync(ns, "ab"));
    }

    private static ModelRollout Rollout(string name, RolloutAnalysis? analysis) => new()
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
                Steps =
                [
                    new RolloutStep { SetWeight = 20 },
                    new RolloutStep { Pause = new PauseStep { Duration = "2s" } },
                    new RolloutStep { SetWeight = 50 },
                    new RolloutStep { Pause = new PauseStep() },
                ],
                Analysis = analysis,
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

    private async Task<ModelRollout> WaitForAsync(string ns, string name, Func<ModelRollout, bool> condition)
    {
        ModelRollout? last = null;
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetAsync(ns, name);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(250);
        }

        var pods = await Client.CoreV1.ListNamespacedPodAsync(ns);
        var deployments = await Client.AppsV1.ListNamespacedDeploymentAsync(ns);
        throw new TimeoutException($"{ns}/{name} did not get there within {Patience}: phase {last?.Status?.Phase}, step {last?.Status?.CurrentStep}, message {last?.Status?.Message}; "
            + $"pods: {string.Join("; ", pods.Items.Select(p => $"{p.Metadata.Name} {p.Status?.Phase} {KubernetesJson.Serialize(p.Status?.ContainerStatuses)}"))}; "
            + $"deployments: {string.Join("; ", deployments.Items.Select(d => $"{d.Metadata.Name} gen {d.Metadata.Generation} {KubernetesJson.Serialize(d.Status)}"))}");
    }

    private async Task AnnotateAsync(string ns, string name, string key, string value)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } };
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts, name);
    }

    private async Task ReplaceSpecAsync(string ns, string name, ModelRolloutSpec spec)
    {
        var patch = new JsonObject { ["spec"] = JsonNode.Parse(KubernetesJson.Serialize(spec)) };
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts, name);
    }

    private async Task CreateRouteAsync(string ns, string name)
    {
        var route = new JsonObject
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = "HTTPRoute",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = "whetstone" }),
                ["rules"] = new JsonArray(new JsonObject { ["matches"] = new JsonArray(new JsonObject { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/" } }) }),
            },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonSerializer.Deserialize<JsonElement>(route.ToJsonString()), "gateway.networking.k8s.io", "v1", ns, "httproutes");
    }

    private async Task<string?> RouteStickyHeaderAsync(string ns, string name)
    {
        var body = await Client.CustomObjects.GetNamespacedCustomObjectAsync("gateway.networking.k8s.io", "v1", ns, "httproutes", name);
        return JsonNode.Parse(((JsonElement)body).GetRawText())!["metadata"]?["annotations"]?[WhetstoneAnnotations.StickyHeader]?.GetValue<string>();
    }

    private async Task<(int Stable, int Canary)> RouteWeightsAsync(string ns, string name)
    {
        var body = await Client.CustomObjects.GetNamespacedCustomObjectAsync("gateway.networking.k8s.io", "v1", ns, "httproutes", name);
        var refs = JsonNode.Parse(((JsonElement)body).GetRawText())!["spec"]!["rules"]![0]!["backendRefs"] as JsonArray ?? [];
        int Weight(string service) => refs.FirstOrDefault(r => (string?)r!["name"] == service)?["weight"]?.GetValue<int>() ?? -1;
        return (Weight(name + "-stable"), Weight(name + "-canary"));
    }
}
