using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// Turns the run's model and dataset sources into local files and digests through <see cref="JobInputs"/>:
/// a <c>uri</c> as written, <c>fineTuneJobRef</c> / <c>compressionJobRef</c> through the referenced job's status in
/// the cluster (<see cref="JobReferences"/>). Every failure names the field.
/// </summary>
internal sealed class EvaluationSources(WorkerJobContext<EvaluationRun> context)
{
    private readonly JobInputs _inputs = new(context);

    public async Task<(string Directory, string Digest, string Uri)> ResolveModelAsync(ModelSource source, string field, CancellationToken cancellationToken)
    {
        if ((source.Uri is null ? 0 : 1) + (source.FineTuneJobRef is null ? 0 : 1) + (source.CompressionJobRef is null ? 0 : 1) != 1)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}: exactly one of uri, fineTuneJobRef or compressionJobRef must be set");
        }

        var (uri, pin) = source.Uri is { } given
            ? (ArtifactUris.Resolve(given, context.TaskDirectory), source.Digest)
            : await ReferencedModelAsync(source, field, cancellationToken).ConfigureAwait(false);
        var (directory, digest) = await _inputs.FetchModelAsync(uri, pin, field, field + ".digest", ConditionReasons.ModelInvalid, cancellationToken, [.. JobInputs.PlainModelWeights, DetectionPredictions.FileName]).ConfigureAwait(false);
        return (directory, digest, uri);
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
            var job = await JobReferences.GetSucceededAsync<FineTuneJob>(context, new JobReference(Kinds.FineTuneJob, Plurals.FineTuneJobs, reference.Name, $"{field}.fineTuneJobRef"), j => j.Status?.Phase, ReferenceFailureReasons.Default, cancellationToken).ConfigureAwait(false);
            var split = source.Split ?? "train";
            var artifact = split == "test" ? job.Status?.Artifacts?.TestSplit : null;
            if (artifact?.Uri is null && job.Status?.Artifacts?.Dataset?.Uri is { } prepared)
            {
                uri = prepared.TrimEnd('/') + "/" + split + ".jsonl";
            }
            else
            {
                uri = artifact?.Uri ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}.fineTuneJobRef: FineTuneJob {reference.Name} recorded no dataset artifacts");
            }
        }
        else
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: one of uri or fineTuneJobRef is required");
        }

        var (path, digest) = await _inputs.FetchFileAsync(uri, source.Digest, field, ConditionReasons.DatasetInvalid, cancellationToken).ConfigureAwait(false);
        return (path, digest, uri);
    }

    private async Task<(string Uri, string? Digest)> ReferencedModelAsync(ModelSource source, string field, CancellationToken cancellationToken)
    {
        var (kind, name, model) = source.FineTuneJobRef is { } fineTune
            ? (Kinds.FineTuneJob, fineTune.Name, (await JobReferences.GetSucceededAsync<FineTuneJob>(context, new JobReference(Kinds.FineTuneJob, Plurals.FineTuneJobs, fineTune.Name, $"{field}.fineTuneJobRef"), j => j.Status?.Phase, ReferenceFailureReasons.Default, cancellationToken).ConfigureAwait(false)).Status?.Artifacts?.Model)
            : (Kinds.CompressionJob, source.CompressionJobRef!.Name, (await JobReferences.GetSucceededAsync<CompressionJob>(context, new JobReference(Kinds.CompressionJob, Plurals.CompressionJobs, source.CompressionJobRef.Name, $"{field}.compressionJobRef"), j => j.Status?.Phase, ReferenceFailureReasons.Default, cancellationToken).ConfigureAwait(false)).Status?.Artifacts?.Model);
        if (model is not { Uri: { Length: > 0 } uri, Digest: { Length: > 0 } digest })
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}: {kind} {name} succeeded but its status.artifacts.model has no uri and digest");
        }

        if (source.Digest is { } pin && pin != digest)
        {
            throw new JobFailureException(ConditionReasons.DigestMismatch, $"{field}: the spec pins {pin}, but {kind} {name} recorded its model as {digest}");
        }

        return (uri, digest);
    }
}
