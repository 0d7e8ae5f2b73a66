using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.ML.Models;
using Whetstone.Worker.FineTuning;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// Turns the run's model and dataset sources into local files and digests: <c>file://</c> paths as they are,
/// <c>s3://</c> through the artifact store (models via the model cache, datasets downloaded into the work dir),
/// <c>fineTuneJobRef</c> / <c>compressionJobRef</c> through the referenced job's status in the cluster. Every failure
/// names the field.
/// </summary>
internal sealed class EvaluationSources(EvaluationContext context)
{
    private readonly ArtifactStoreOptions _storeOptions = ArtifactStoreOptions.FromEnvironment();

    public async Task<(string Directory, string Digest, string Uri)> ResolveModelAsync(ModelSource source, string field, CancellationToken cancellationToken)
    {
        if ((source.Uri is null ? 0 : 1) + (source.FineTuneJobRef is null ? 0 : 1) + (source.CompressionJobRef is null ? 0 : 1) != 1)
        {
            throw new EvaluationFailureException(ConditionReasons.ModelInvalid, $"{field}: exactly one of uri, fineTuneJobRef or compressionJobRef must be set");
        }

        var (uri, pin) = source.Uri is { } given
            ? (ArtifactUris.Resolve(given, context.TaskDirectory), source.Digest)
            : source.FineTuneJobRef is { } ftj
                ? await ReferencedModelAsync(Plurals.FineTuneJobs, Kinds.FineTuneJob, ftj.Name, $"{field}.fineTuneJobRef", source.Digest, cancellationToken).ConfigureAwait(false)
                : await ReferencedModelAsync(Plurals.CompressionJobs, Kinds.CompressionJob, source.CompressionJobRef!.Name, $"{field}.compressionJobRef", source.Digest, cancellationToken).ConfigureAwait(false);
        var local = ArtifactUris.LocalPathOf(uri);
        if (local is not null && Directory.Exists(local) && !File.Exists(Path.Combine(local, ModelManifest.FileName)))
        {
            // A plain model directory (the committed examples): its digest is its weights file's.
            var weights = File.Exists(Path.Combine(local, LlamaCheckpoint.WeightsFileName)) ? Path.Combine(local, LlamaCheckpoint.WeightsFileName) : Path.Combine(local, "model.onnx");
            if (!File.Exists(weights))
            {
                throw new EvaluationFailureException(ConditionReasons.ModelInvalid, $"{field}: {local} holds neither {LlamaCheckpoint.WeightsFileName} nor model.onnx");
            }

            var digest = await DigestOfFileAsync(weights, cancellationToken).ConfigureAwait(false);
            if (pin is not null && pin != digest)
            {
                throw new EvaluationFailureException(ConditionReasons.DigestMismatch, $"{field}: digest is {digest}, {field}.digest pins {pin}");
            }

            return (local, digest, uri);
        }

        if (local is not null && !Directory.Exists(local))
        {
            throw new EvaluationFailureException(ConditionReasons.ModelInvalid, $"{field}.uri: {local} does not exist");
        }

        var folder = uri.EndsWith('/') ? uri : uri + "/";
        var parent = folder[..folder.TrimEnd('/').LastIndexOf('/')] + "/";
        try
        {
            using var store = ArtifactStoreFactory.Create(parent, _storeOptions);
            var cached = await new ModelCache(Path.Combine(context.WorkDirectory, "models")).GetAsync(store, folder[parent.Length..], pin, cancellationToken).ConfigureAwait(false);
            return (cached.Directory, cached.Digest, uri);
        }
        catch (ArtifactIntegrityException error)
        {
            throw new EvaluationFailureException(ConditionReasons.DigestMismatch, $"{field} {uri}: {error.Message}", error);
        }
        catch (ArtifactNotFoundException error)
        {
            throw new EvaluationFailureException(ConditionReasons.ModelInvalid, $"{field} {uri}: {error.Message}", error);
        }
        catch (Exception error) when (error is ArtifactStoreException or ArgumentException or IOException)
        {
            throw new EvaluationFailureException(ConditionReasons.ArtifactStoreError, $"{field} {uri}: {error.Message}", error);
        }
    }

    public async Task<(string Path, string Digest, string Uri)> ResolveDatasetAsync(DatasetSource source, string field, CancellationToken cancellationToken)
    {
        string uri;
        if (source.Uri is { } given)
        {
            uri = ArtifactUris.Resolve(given, context.TaskDirectory);
        }
        else if (source.FineTuneJobRef is { } reference)
        {
            var job = await GetReferencedAsync<FineTuneJob>(j => j.Status?.Phase, Plurals.FineTuneJobs, Kinds.FineTuneJob, reference.Name, $"{field}.fineTuneJobRef", cancellationToken).ConfigureAwait(false);
            var split = source.Split ?? "train";
            var artifact = split == "test" ? job.Status?.Artifacts?.TestSplit : null;
            if (artifact?.Uri is null && job.Status?.Artifacts?.Dataset?.Uri is { } prepared)
            {
                uri = prepared.TrimEnd('/') + "/" + split + ".jsonl";
            }
            else
            {
                uri = artifact?.Uri ?? throw new EvaluationFailureException(ConditionReasons.DatasetInvalid, $"{field}.fineTuneJobRef: FineTuneJob {reference.Name} recorded no dataset artifacts");
            }
        }
        else
        {
            throw new EvaluationFailureException(ConditionReasons.DatasetInvalid, $"{field}: one of uri or fineTuneJobRef is required");
        }

        var path = ArtifactUris.LocalPathOf(uri) ?? await DownloadAsync(uri, field, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw new EvaluationFailureException(ConditionReasons.DatasetInvalid, $"{field}.uri: {path} does not exist");
        }

        var digest = await DigestOfFileAsync(path, cancellationToken).ConfigureAwait(false);
        if (source.Digest is { } pin && pin != digest)
        {
            throw new EvaluationFailureException(ConditionReasons.DigestMismatch, $"{field}: digest is {digest}, {field}.digest pins {pin}");
        }

        return (path, digest, uri);
    }

    private async Task<(string Uri, string? Digest)> ReferencedModelAsync(string plural, string kind, string name, string field, string? pin, CancellationToken cancellationToken)
    {
        var model = plural == Plurals.FineTuneJobs
            ? (await GetReferencedAsync<FineTuneJob>(j => j.Status?.Phase, plural, kind, name, field, cancellationToken).ConfigureAwait(false)).Status?.Artifacts?.Model
            : (await GetReferencedAsync<CompressionJob>(j => j.Status?.Phase, plural, kind, name, field, cancellationToken).ConfigureAwait(false)).Status?.Artifacts?.Model;
        if (model is not { Uri: { Length: > 0 } uri, Digest: { Length: > 0 } digest })
        {
            throw new EvaluationFailureException(ConditionReasons.ModelInvalid, $"{field}: {kind} {name} succeeded but its status.artifacts.model has no uri and digest");
        }

        if (pin is not null && pin != digest)
        {
            throw new EvaluationFailureException(ConditionReasons.DigestMismatch, $"{field}: the spec pins {pin}, but {kind} {name} recorded its model as {digest}");
        }

        return (uri, digest);
    }

    private async Task<T> GetReferencedAsync<T>(Func<T, string?> phaseOf, string plural, string kind, string name, string field, CancellationToken cancellationToken)
    {
        if (context.Cluster is not { } client)
        {
            throw new EvaluationFailureException(ConditionReasons.ModelInvalid, $"{field} ({name}): a {kind} reference cannot be resolved without a cluster (standalone --task run); give a uri instead");
        }

        var ns = context.Run.Metadata.NamespaceProperty ?? "default";
        T job;
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, plural, name, cancellationToken).ConfigureAwait(false);
            job = KubernetesJson.Deserialize<T>(body is JsonElement element ? element.GetRawText() : KubernetesJson.Serialize(body));
        }
        catch (HttpOperationException error) when (error.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new EvaluationFailureException(ConditionReasons.ReferenceNotFound, $"{field}: {kind} {ns}/{name} does not exist");
        }

        var phase = phaseOf(job);
        if (phase == JobPhases.Failed)
        {
            throw new EvaluationFailureException(ConditionReasons.ReferenceFailed, $"{field}: {kind} {ns}/{name} failed, so it has nothing to evaluate");
        }

        if (phase != JobPhases.Succeeded)
        {
            throw new EvaluationFailureException(ConditionReasons.ReferenceNotReady, $"{field}: {kind} {ns}/{name} has not succeeded yet (phase {phase ?? "Pending"})");
        }

        return job;
    }

    private async Task<string> DownloadAsync(string uri, string field, CancellationToken cancellationToken)
    {
        var target = Path.Combine(context.WorkDirectory, "source", ArtifactDigest.Compute(System.Text.Encoding.UTF8.GetBytes(uri))[7..19] + "-" + Path.GetFileName(new Uri(uri).AbsolutePath));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            var (store, key) = ArtifactStoreFactory.Resolve(uri, _storeOptions);
            using (store)
            {
                var source = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    await using var file = File.Create(target);
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (ArtifactNotFoundException error)
        {
            throw new EvaluationFailureException(ConditionReasons.DatasetInvalid, $"{field}.uri: {error.Message}", error);
        }
        catch (Exception error) when (error is ArtifactStoreException or ArgumentException)
        {
            throw new EvaluationFailureException(ConditionReasons.ArtifactStoreError, $"{field} {uri}: {error.Message}", error);
        }

        return target;
    }

    private static async Task<string> DigestOfFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await ArtifactDigest.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
    }
}
