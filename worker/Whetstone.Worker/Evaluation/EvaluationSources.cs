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
        var (uri, pin) = await ReferencedSources.ModelAsync(context, source, field, cancellationToken).ConfigureAwait(false);
        var (directory, digest) = await _inputs.FetchModelAsync(uri, pin, field, field + ".digest", ConditionReasons.ModelInvalid, cancellationToken, [.. JobInputs.PlainModelWeights, DetectionPredictions.FileName]).ConfigureAwait(false);
        return (directory, digest, uri);
    }

    /// <summary>
    /// A dataset file: its uri, or a split of the referenced FineTuneJob's cleaned dataset (the spec's <c>split</c>,
    /// else <paramref name="defaultSplit"/>: test for a suite, train for the contamination check).
    /// </summary>
    public async Task<(string Path, string Digest, string Uri)> ResolveDatasetAsync(DatasetSource source, string field, string defaultSplit, CancellationToken cancellationToken)
    {
        var uri = await ReferencedSources.DatasetAsync(context, source, field, source.Split ?? defaultSplit, cancellationToken).ConfigureAwait(false);
        var (path, digest) = await _inputs.FetchFileAsync(uri, source.Digest, field, ConditionReasons.DatasetInvalid, cancellationToken).ConfigureAwait(false);
        return (path, digest, uri);
    }
}
