using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// Model and dataset sources that may name another job instead of a URI: a <c>fineTuneJobRef</c> or
/// <c>compressionJobRef</c> model is that job's <c>status.artifacts.model</c> (checked against the spec's digest pin), a
/// <c>fineTuneJobRef</c> dataset is one split of the cleaned dataset that job versioned. The referenced job must have
/// Succeeded (<see cref="JobReferences"/>). Every failure names the field.
/// </summary>
internal static class ReferencedSources
{
    /// <summary>The model's URI and the digest to check it against (the pin, or the referenced job's record).</summary>
    public static async Task<(string Uri, string? Digest)> ModelAsync(IWorkerJobContext context, ModelSource source, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        if ((source.Uri is null ? 0 : 1) + (source.FineTuneJobRef is null ? 0 : 1) + (source.CompressionJobRef is null ? 0 : 1) != 1)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}: exactly one of uri, fineTuneJobRef or compressionJobRef must be set");
        }

        if (source.Uri is { } given)
        {
            return (ArtifactUris.Resolve(given, context.TaskDirectory), source.Digest);
        }

        var (kind, name, model) = source.FineTuneJobRef is { } fineTune
            ? (Kinds.FineTuneJob, fineTune.Name, (await FineTuneJobAsync(context, fineTune.Name, field, cancellationToken).ConfigureAwait(false)).Status?.Artifacts?.Model)
            : (Kinds.CompressionJob, source.CompressionJobRef!.Name, (await JobReferences.GetSucceededAsync<CompressionJob>(context,
                new JobReference(Kinds.CompressionJob, Plurals.CompressionJobs, source.CompressionJobRef.Name, $"{field}.compressionJobRef"),
                j => j.Status?.Phase, ReferenceFailureReasons.Default, cancellationToken).ConfigureAwait(false)).Status?.Artifacts?.Model);
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

    /// <summary>
    /// The URI of a dataset: as written, or the <paramref name="split"/> (the spec's <c>split</c> when it has one) of
    /// the referenced FineTuneJob's cleaned dataset.
    /// </summary>
    public static async Task<string> DatasetAsync(IWorkerJobContext context, DatasetSource source, string field, string split, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        if (source.Uri is { } given)
        {
            return ArtifactUris.Resolve(given, context.TaskDirectory);
        }

        if (source.FineTuneJobRef is not { } reference)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: one of uri or fineTuneJobRef is required");
        }

        var job = await FineTuneJobAsync(context, reference.Name, field, cancellationToken).ConfigureAwait(false);
        var artifacts = job.Status?.Artifacts;
        if (split == DatasetSplits.Test && artifacts?.TestSplit?.Uri is { } test)
        {
            return test;
        }

        return artifacts?.Dataset?.Uri is { } prepared
            ? prepared.TrimEnd('/') + "/" + split + ".jsonl"
            : throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}.fineTuneJobRef: FineTuneJob {reference.Name} recorded no dataset artifacts");
    }

    private static Task<FineTuneJob> FineTuneJobAsync(IWorkerJobContext context, string name, string field, CancellationToken cancellationToken) =>
        JobReferences.GetSucceededAsync<FineTuneJob>(context, new JobReference(Kinds.FineTuneJob, Plurals.FineTuneJobs, name, $"{field}.fineTuneJobRef"),
            j => j.Status?.Phase, ReferenceFailureReasons.Default, cancellationToken);
}
