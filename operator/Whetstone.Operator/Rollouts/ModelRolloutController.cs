using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Rollouts.Analysis;
using Whetstone.Operator.Rollouts.Reports;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Conditions;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Runtime.Events;

namespace Whetstone.Operator.Rollouts;

/// <summary>
/// The ModelRollout controller: observe (models, EvaluationRun, track Deployments), measure when a look is due, plan
/// (<see cref="RolloutPlanner"/>), then carry the plan out: Deployments and Services per track, the HTTPRoute's weights
/// and sticky header annotation,
/// consumed annotations, events, and status last.
/// </summary>
public sealed class ModelRolloutController(
    IKubernetes client,
    IEntityClient<ModelRollout> rollouts,
    RolloutWorld world,
    MetricAnalyzer analyzer,
    ServingLoadReader loads,
    RolloutReporter reporter,
    EventRecorder events,
    RolloutMetrics metrics,
    IOptions<WorkerOptions> workerOptions,
    IOptions<OperatorOptions> operatorOptions,
    ILogger<ModelRolloutController> logger,
    TimeProvider? time = null) : IEntityController<ModelRollout>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<ReconciliationResult<ModelRollout>> ReconcileAsync(ModelRollout entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var now = _time.GetUtcNow().UtcDateTime;
        RolloutPlan plan;
        try
        {
            var observed = await ObserveAsync(entity, now, cancellationToken).ConfigureAwait(false);
            plan = RolloutPlanner.Plan(entity, observed, now, operatorOptions.Value.CanaryReadyTimeout);
        }
        catch (FormatException e)
        {
            // A duration the schema let through but the planner cannot read: say so in status, do not retry hot.
            var invalid = (entity.Status ?? new ModelRolloutStatus()) with { Message = e.Message, ObservedGeneration = entity.Metadata.Generation };
            invalid.Conditions = ConditionList.Set(invalid.Conditions, RolloutPlanner.Condition(ConditionTypes.Progressing, false, "InvalidSpec", e.Message, entity.Metadata.Generation), now);
            await PersistStatusAsync(entity, invalid, cancellationToken).ConfigureAwait(false);
            return ReconciliationResult<ModelRollout>.Success(entity);
        }

        // Traffic first: a rollback takes the canary's weight away before anything else is measured or written.
        var previous = entity.Status;
        var routeMessage = await ReconcileChildrenAsync(entity, plan, cancellationToken).ConfigureAwait(false);
        var status = routeMessage is null ? plan.Status : WithRouteProblem(plan.Status, routeMessage, entity.Metadata.Generation, now);
        entity = await ConsumeAnnotationsAsync(entity, plan.ConsumedAnnotations, cancellationToken).ConfigureAwait(false);
        foreach (var change in plan.Events)
        {
            await (change.Warning
                ? events.WarningAsync(entity, change.Reason, change.Message, cancellationToken)
                : events.NormalAsync(entity, change.Reason, change.Message, cancellationToken)).ConfigureAwait(false);
        }

        var persisted = await PersistStatusAsync(entity, status, cancellationToken).ConfigureAwait(false);
        if (RolloutReports.Ends(status.Phase) && previous?.Phase != status.Phase)
        {
            // The attempt just ended, and status already says so: only now measure both tracks over it (range
            // queries, so a canary pod already stopping still counts) and add the report in a second write. Several
            // rollbacks at once would otherwise each wait for their reports' queries before showing weight 0.
            var report = await reporter.ReportAsync(entity, status, previous?.StableVersion, now, cancellationToken).ConfigureAwait(false);
            persisted = await PersistStatusAsync(persisted, persisted.Status! with { Report = report }, cancellationToken).ConfigureAwait(false);
        }

        metrics.Observe(persisted);
        return ReconciliationResult<ModelRollout>.Success(persisted, routeMessage is null ? plan.RequeueAfter : RolloutPlanner.WaitInterval);
    }

    /// <inheritdoc />
    public Task<ReconciliationResult<ModelRollout>> DeletedAsync(ModelRollout entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        metrics.Forget(entity);
        return Task.FromResult(ReconciliationResult<ModelRollout>.Success(entity));
    }

    private async Task<RolloutObservation> ObserveAsync(ModelRollout rollout, DateTime now, CancellationToken cancellationToken)
    {
        var ns = rollout.Metadata.NamespaceProperty;
        var (stableModel, _) = rollout.Status?.StableModel is { } seeded
            ? (seeded, null)
            : await world.ResolveModelAsync(ns, rollout.Spec.Stable.Model, cancellationToken).ConfigureAwait(false);
        var (canaryModel, unresolved) = await world.ResolveModelAsync(ns, rollout.Spec.Canary.Model, cancellationToken).ConfigureAwait(false);
        var evaluation = await world.ObserveEvaluationAsync(rollout, canaryModel, cancellationToken).ConfigureAwait(false);
        var (_, stable) = await world.ObserveTrackAsync(rollout, Tracks.Stable, cancellationToken).ConfigureAwait(false);
        var (_, canary) = await world.ObserveTrackAsync(rollout, Tracks.Canary, cancellationToken).ConfigureAwait(false);
        var measurements = RolloutPlanner.IsAnalysisDue(rollout, now)
            ? await MeasureAsync(rollout, now, cancellationToken).ConfigureAwait(false)
            : [];
        var due = RolloutPlanner.UnitsToMeasure(rollout, now);
        var load = await loads.ReadAsync(rollout, due, cancellationToken).ConfigureAwait(false);
        return new RolloutObservation(stableModel, canaryModel, unresolved, evaluation, stable, canary, measurements, load);
    }

    private async Task<IReadOnlyList<Measurement>> MeasureAsync(ModelRollout rollout, DateTime now, CancellationToken cancellationToken)
    {
        var analysis = rollout.Spec.Strategy.Analysis!;
        var status = rollout.Status!;
        var target = new AnalysisTarget(rollout.Metadata.Name, rollout.Metadata.NamespaceProperty, status.StableVersion ?? rollout.Spec.Stable.Version,
            status.CanaryVersion ?? rollout.Spec.Canary.Version, now - (status.AnalysisStartTime ?? now));
        var measured = await Task.WhenAll(analysis.Metrics.Select(m => analyzer.MeasureAsync(analysis.Prometheus.Address, m, target, now, cancellationToken))).ConfigureAwait(false);
        foreach (var m in measured)
        {
            metrics.RecordMeasurement(rollout, m);
            logger.LogInformation("{Namespace}/{Name}: {Metric} {Verdict} ({Reason}) value {Value}", rollout.Metadata.NamespaceProperty, rollout.Metadata.Name, m.Metric, m.Verdict, m.Reason, m.Value);
        }

        return measured;
    }

    private async Task<string?> ReconcileChildrenAsync(ModelRollout rollout, RolloutPlan plan, CancellationToken cancellationToken)
    {
        foreach (var track in new[] { plan.Stable, plan.Canary }.OfType<TrackPlan>())
        {
            await ReconcileDeploymentAsync(RolloutChildren.BuildDeployment(rollout, track, workerOptions.Value), cancellationToken).ConfigureAwait(false);
            await EnsureServiceAsync(RolloutChildren.BuildTrackService(rollout, track.Track), cancellationToken).ConfigureAwait(false);
        }

        if (rollout.Spec.TrafficRouting?.ReplicaRatio is not null)
        {
            await EnsureServiceAsync(RolloutChildren.BuildRolloutService(rollout), cancellationToken).ConfigureAwait(false);
            return null;
        }

        return rollout.Spec.TrafficRouting?.GatewayAPI is { } gateway && plan.Stable is not null
            ? await ReconcileRouteAsync(rollout, gateway.HttpRoute, plan.Canary is null ? 0 : plan.CanaryWeight, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private async Task ReconcileDeploymentAsync(V1Deployment desired, CancellationToken cancellationToken)
    {
        var ns = desired.Metadata.NamespaceProperty;
        var existing = await RolloutWorld.ReadOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (existing is null)
        {
            if (desired.Spec.Replicas > 0)
            {
                await client.AppsV1.CreateNamespacedDeploymentAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (existing.Spec.Replicas == desired.Spec.Replicas && SameTemplate(existing.Spec.Template, desired.Spec.Template))
        {
            return;
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = JsonSerializer.SerializeToNode(desired.Metadata.Labels) },
            ["spec"] = new JsonObject
            {
                ["replicas"] = desired.Spec.Replicas,
                ["template"] = JsonNode.Parse(KubernetesJson.Serialize(desired.Spec.Template)),
            },
        };
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), desired.Metadata.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool SameTemplate(V1PodTemplateSpec existing, V1PodTemplateSpec desired)
    {
        var a = existing.Spec?.Containers?.FirstOrDefault();
        var b = desired.Spec.Containers[0];
        return a is not null
            && existing.Metadata?.Labels is { } labels && labels.TryGetValue(RolloutChildren.VersionLabel, out var version)
            && version == desired.Metadata.Labels[RolloutChildren.VersionLabel]
            && a.Image == b.Image && (a.Args ?? []).SequenceEqual(b.Args)
            && (a.Env ?? []).Select(e => (e.Name, e.Value)).SequenceEqual(b.Env.Select(e => (e.Name, e.Value)));
    }

    private async Task EnsureServiceAsync(V1Service desired, CancellationToken cancellationToken)
    {
        var ns = desired.Metadata.NamespaceProperty;
        var existing = await RolloutWorld.ReadOrNullAsync(() => client.CoreV1.ReadNamespacedServiceAsync(desired.Metadata.Name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (existing is null)
        {
            await client.CoreV1.CreateNamespacedServiceAsync(desired, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    // Returns a problem to report, or null when the route carries the planned weights and sticky header.
    private async Task<string?> ReconcileRouteAsync(ModelRollout rollout, string routeName, int canaryWeight, CancellationToken cancellationToken)
    {
        var ns = rollout.Metadata.NamespaceProperty;
        var body = await RolloutWorld.ReadOrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync(
            GatewayGroup, GatewayVersion, ns, HttpRoutes, routeName, cancellationToken)).ConfigureAwait(false);
        if (body is null)
        {
            return $"HTTPRoute {routeName} (spec.trafficRouting.gatewayAPI.httpRoute) does not exist";
        }

        var route = JsonNode.Parse(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
        var rules = route?["spec"]?["rules"];
        var sticky = RolloutChildren.StickyHeader(rollout);
        var carriedSticky = route?["metadata"]?["annotations"]?[WhetstoneAnnotations.StickyHeader] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (RolloutChildren.ReadCanaryWeight(rollout, rules) == canaryWeight
            && RolloutChildren.BuildRouteRules(rollout, rules, canaryWeight).ToJsonString() == (rules?.ToJsonString() ?? "")
            && carriedSticky == sticky)
        {
            return null;
        }

        // The sticky header travels as an annotation (Gateway API has no field for it); null removes it.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [WhetstoneAnnotations.StickyHeader] = sticky } },
            ["spec"] = new JsonObject { ["rules"] = RolloutChildren.BuildRouteRules(rollout, rules, canaryWeight) },
        };
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            GatewayGroup, GatewayVersion, ns, HttpRoutes, routeName, cancellationToken: cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<ModelRollout> ConsumeAnnotationsAsync(ModelRollout rollout, IReadOnlyList<string> consumed, CancellationToken cancellationToken)
    {
        if (consumed.Count == 0)
        {
            return rollout;
        }

        var annotations = new JsonObject();
        foreach (var key in consumed)
        {
            annotations[key] = null;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
        var body = await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, rollout.Metadata.NamespaceProperty, Plurals.ModelRollouts, rollout.Metadata.Name,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var patched = KubernetesJson.Deserialize<ModelRollout>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
        logger.LogInformation("{Namespace}/{Name}: consumed {Annotations}", rollout.Metadata.NamespaceProperty, rollout.Metadata.Name, string.Join(", ", consumed));
        return patched;
    }

    private async Task<ModelRollout> PersistStatusAsync(ModelRollout entity, ModelRolloutStatus status, CancellationToken cancellationToken)
    {
        if (JsonSerializer.Serialize(entity.Status, KubernetesJsonOptions) == JsonSerializer.Serialize(status, KubernetesJsonOptions))
        {
            return entity;
        }

        return await rollouts.ReplaceStatusAsync(entity with { Status = status }, cancellationToken).ConfigureAwait(false);
    }

    private static ModelRolloutStatus WithRouteProblem(ModelRolloutStatus status, string message, long? generation, DateTime now)
    {
        var copy = status with { Message = message };
        copy.Conditions = ConditionList.Set(status.Conditions, RolloutPlanner.Condition(ConditionTypes.Degraded, true, ConditionReasons.RouteNotFound, message, generation), now);
        return copy;
    }

    private static readonly JsonSerializerOptions KubernetesJsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private const string GatewayGroup = "gateway.networking.k8s.io";
    private const string GatewayVersion = "v1";
    private const string HttpRoutes = "httproutes";
}
