using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Rollouts;

/// <summary>
/// Reads what a ModelRollout depends on: its models (a job reference becomes that job's output), its EvaluationRun,
/// and its track Deployments.
/// </summary>
public sealed class RolloutWorld(IKubernetes client)
{
    /// <summary>Resolves a track's model; null with a reason while it cannot be.</summary>
    public async Task<(ArtifactRef? Model, string? Unresolved)> ResolveModelAsync(string @namespace, ModelSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Uri is { Length: > 0 } uri)
        {
            return (new ArtifactRef { Uri = uri, Digest = source.Digest }, null);
        }

        if (source.CompressionJobRef is { } cpj)
        {
            var job = await GetAsync<CompressionJob>(@namespace, cpj.Name, cancellationToken).ConfigureAwait(false);
            return FromJob(Kinds.CompressionJob, cpj.Name, job?.Status?.Phase, job?.Status?.Artifacts?.Model, job is null, source.Digest);
        }

        if (source.FineTuneJobRef is { } ftj)
        {
            var job = await GetAsync<FineTuneJob>(@namespace, ftj.Name, cancellationToken).ConfigureAwait(false);
            return FromJob(Kinds.FineTuneJob, ftj.Name, job?.Status?.Phase, job?.Status?.Artifacts?.Model, job is null, source.Digest);
        }

        return (null, "the model names no uri and no job");
    }

    /// <summary>The EvaluationRun that gates the canary, or null when spec.canary has no evaluationRunRef.</summary>
    public async Task<EvaluationObservation?> ObserveEvaluationAsync(ModelRollout rollout, ArtifactRef? canaryModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.Spec.Canary.EvaluationRunRef is not { } reference)
        {
            return null;
        }

        var run = await GetAsync<EvaluationRun>(rollout.Metadata.NamespaceProperty, reference.Name, cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new EvaluationObservation(reference.Name, false, false, null, null, false);
        }

        var finished = run.Status?.Phase is JobPhases.Succeeded or JobPhases.Failed && run.Status.Verdict is not null;
        var evaluated = run.Spec.Model;
        var canary = rollout.Spec.Canary.Model;
        var sameSource = (evaluated.CompressionJobRef is { } e1 && e1.Name == canary.CompressionJobRef?.Name)
            || (evaluated.FineTuneJobRef is { } e2 && e2.Name == canary.FineTuneJobRef?.Name)
            || (evaluated.Uri is { } u && (u == canary.Uri || u == canaryModel?.Uri))
            || (evaluated.Digest is not null && evaluated.Digest == canaryModel?.Digest);
        return new EvaluationObservation(reference.Name, true, finished, run.Status?.Verdict, evaluated.Digest, sameSource);
    }

    /// <summary>A track's Deployment: its template's version and ready pods (of the current template only).</summary>
    public async Task<(V1Deployment? Deployment, TrackObservation Observation)> ObserveTrackAsync(ModelRollout rollout, string track, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var deployment = await ReadOrNullAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync(
            RolloutChildren.TrackName(rollout, track), rollout.Metadata.NamespaceProperty, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (deployment is null)
        {
            return (null, TrackObservation.Missing);
        }

        var version = deployment.Spec?.Template?.Metadata?.Labels?.TryGetValue(RolloutChildren.VersionLabel, out var v) == true ? v : null;
        var current = deployment.Status?.ObservedGeneration >= deployment.Metadata.Generation;
        var ready = current ? Math.Min(deployment.Status?.UpdatedReplicas ?? 0, deployment.Status?.ReadyReplicas ?? 0) : 0;
        return (deployment, new TrackObservation(version, ready));
    }

    internal static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<T?> GetAsync<T>(string @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var entity = typeof(T).GetCustomAttributes(typeof(KubernetesEntityAttribute), false).OfType<KubernetesEntityAttribute>().Single();
        var body = await ReadOrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync(
            entity.Group, entity.ApiVersion, @namespace, entity.PluralName, name, cancellationToken)).ConfigureAwait(false);
        return body is null ? null : KubernetesJson.Deserialize<T>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
    }

    private static (ArtifactRef?, string?) FromJob(string kind, string name, string? phase, ArtifactRef? model, bool missing, string? pinnedDigest)
    {
        if (missing)
        {
            return (null, $"{kind} {name} does not exist (yet)");
        }

        if (phase != JobPhases.Succeeded || model?.Uri is null)
        {
            return (null, $"{kind} {name} has not succeeded (phase {phase ?? "Pending"})");
        }

        if (pinnedDigest is not null && model.Digest is not null && pinnedDigest != model.Digest)
        {
            return (null, $"{kind} {name} produced {model.Digest}, but the spec pins {pinnedDigest}");
        }

        return (model, null);
    }
}
