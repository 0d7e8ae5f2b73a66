using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Turns <c>spec.baseModel</c> into a model URI and the digest to check: a <c>uri</c> as written (with its optional
/// <c>digest</c> pin); a <c>fineTuneJobRef</c> by reading that FineTuneJob (same namespace) from the API server and
/// taking its <c>status.artifacts.model</c>. Every failure names the field: <see cref="ConditionReasons.ModelInvalid"/>
/// for a reference that cannot be used, <see cref="ConditionReasons.DigestMismatch"/> when the spec's pin contradicts the
/// referenced job's model digest.
/// </summary>
internal static class ModelSourceResolver
{
    private const string Field = "spec.baseModel";

    public static async Task<ResolvedModelSource> ResolveAsync(ModelSource source, WorkerJobContext<FineTuneJob> context, CancellationToken cancellationToken)
    {
        if ((source.Uri is null ? 0 : 1) + (source.FineTuneJobRef is null ? 0 : 1) + (source.CompressionJobRef is null ? 0 : 1) > 1)
        {
            // The CRD's CEL rule says so in a cluster; a task file is not validated by an API server.
            throw Invalid($"{Field}: exactly one of uri, fineTuneJobRef or compressionJobRef must be set");
        }

        if (source.Uri is { } uri)
        {
            return new ResolvedModelSource(ArtifactUris.Resolve(uri, context.TaskDirectory), source.Digest, null);
        }

        if (source.FineTuneJobRef is { } reference)
        {
            return await ResolveFineTuneJobAsync(reference.Name, source.Digest, context, cancellationToken).ConfigureAwait(false);
        }

        if (source.CompressionJobRef is { } compression)
        {
            throw Invalid($"{Field}.compressionJobRef ({compression.Name}): not supported yet; CompressionJob has no controller yet, so there is no compressed model to read. Set {Field}.uri to the model directory instead");
        }

        throw Invalid($"{Field}: one of uri, fineTuneJobRef or compressionJobRef is required");
    }

    private static async Task<ResolvedModelSource> ResolveFineTuneJobAsync(string name, string? pin, WorkerJobContext<FineTuneJob> context, CancellationToken cancellationToken)
    {
        // A base model that cannot be used is the spec's problem whatever the reference's state: ModelInvalid.
        var reference = new JobReference(Kinds.FineTuneJob, Plurals.FineTuneJobs, name, Field + ".fineTuneJobRef");
        var referenced = await JobReferences.GetSucceededAsync<FineTuneJob>(context, reference, job => job.Status?.Phase, ReferenceFailureReasons.All(ConditionReasons.ModelInvalid), cancellationToken).ConfigureAwait(false);
        var jobNamespace = context.Namespace;
        var field = reference.Field;
        if (referenced.Status?.Artifacts?.Model is not { Uri: { Length: > 0 } modelUri, Digest: { Length: > 0 } digest })
        {
            throw Invalid($"{field}: FineTuneJob {jobNamespace}/{name} succeeded but its status.artifacts.model has no uri and digest");
        }

        if (pin is not null && !string.Equals(pin, digest, StringComparison.Ordinal))
        {
            throw new JobFailureException(ConditionReasons.DigestMismatch, $"{Field}.digest pins {pin}, but FineTuneJob {jobNamespace}/{name} recorded its model as {digest}");
        }

        return new ResolvedModelSource(modelUri, digest, name);
    }

    private static JobFailureException Invalid(string message) => new(ConditionReasons.ModelInvalid, message);
}
