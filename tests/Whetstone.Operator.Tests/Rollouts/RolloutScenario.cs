using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Rollouts;
using Whetstone.Operator.Rollouts.Analysis;

namespace Whetstone.Operator.Tests.Rollouts;

/// <summary>
/// Drives <see cref="RolloutPlanner"/> like the controller does (plan, persist status, drop consumed annotations) over
/// a fake clock, so tests can put a rollout into any phase through the planner itself.
/// </summary>
internal sealed class RolloutScenario
{
    public static readonly ArtifactRef StableModel = new() { Uri = "file:///models/support/1.2.0/", Digest = "sha256:" + new string('a', 64) };
    public static readonly ArtifactRef CanaryModel = new() { Uri = "file:///models/support/1.3.0/", Digest = "sha256:" + new string('b', 64) };

    public RolloutScenario(Action<ModelRolloutSpec>? customize = null)
    {
        Rollout = new ModelRollout
        {
            Metadata = new V1ObjectMeta { Name = "support", NamespaceProperty = "default", Generation = 1, Annotations = new Dictionary<string, string>() },
            Spec = new ModelRolloutSpec
            {
                Serving = new ServingSpec { Replicas = 2, Port = 8080 },
                Stable = new RolloutTrack { Model = new ModelSource { Uri = StableModel.Uri }, Version = "1.2.0" },
                Canary = new RolloutTrack { Model = new ModelSource { Uri = CanaryModel.Uri }, Version = "1.3.0" },
                TrafficRouting = new TrafficRouting { GatewayAPI = new GatewayApiRouting { HttpRoute = "support" } },
                Strategy = new RolloutStrategy
                {
                    Steps =
                    [
                        new RolloutStep { SetWeight = 10 },
                        new RolloutStep { Pause = new PauseStep { Duration = "10m" } },
                        new RolloutStep { SetWeight = 50 },
                        new RolloutStep { Pause = new PauseStep() },
                    ],
                    Analysis = new RolloutAnalysis
                    {
                        Interval = "1m",
                        Prometheus = new PrometheusSource { Address = "http://127.0.0.1:9090" },
                        FailureLimit = 0,
                        Metrics = [new AnalysisMetric { Name = "error-rate", Query = "sum(errors)", Max = 0.01 }],
                    },
                },
            },
        };
        customize?.Invoke(Rollout.Spec);
    }

    public ModelRollout Rollout { get; private set; }

    public DateTime Now { get; set; } = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    public ModelRolloutStatus Status => Rollout.Status!;

    public EvaluationObservation? Evaluation { get; set; }

    public TrackObservation Stable { get; set; } = new("1.2.0", 2);

    public TrackObservation Canary { get; set; } = new("1.3.0", 2);

    public RolloutPlan? LastPlan { get; private set; }

    /// <summary>Serving loads measured for the next reconcile only (the autoscaler's input).</summary>
    public Dictionary<string, TrackLoad> Loads { get; } = new(StringComparer.Ordinal);

    public static Measurement Measured(string verdict, string reason = "r", string metric = "error-rate", double value = 0.001, DateTime? at = null) =>
        new(metric, verdict, reason, value, "sum(errors)", $"{metric} = {value} (max 0.01) from sum(errors)", at ?? DateTime.MinValue);

    public RolloutPlan Reconcile(params Measurement[] measurements)
    {
        var observed = new RolloutObservation(StableModel, CanaryModel, null, Evaluation, Stable, Canary,
            measurements.Select(m => m.At == DateTime.MinValue ? m with { At = Now } : m).ToList(), new Dictionary<string, TrackLoad>(Loads));
        Loads.Clear();
        var plan = RolloutPlanner.Plan(Rollout, observed, Now);
        var annotations = Rollout.Metadata.Annotations.Where(a => !plan.ConsumedAnnotations.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value);
        Rollout = Rollout with { Metadata = new V1ObjectMeta { Name = "support", NamespaceProperty = "default", Generation = Rollout.Metadata.Generation, Annotations = annotations }, Status = plan.Status };
        LastPlan = plan;
        return plan;
    }

    public RolloutPlan Annotate(string key, string value)
    {
        Rollout.Metadata.Annotations[key] = value;
        return Reconcile();
    }

    public void Advance(TimeSpan by) => Now += by;

    public string? ProgressingReason => Status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Progressing)?.Reason;
}
