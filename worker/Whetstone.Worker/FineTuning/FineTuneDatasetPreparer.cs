using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Datasets;
using Whetstone.Datasets;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// The dataset side of a fine-tune attempt: fetch <c>spec.dataset</c> (checking its digest pin), prepare it
/// (preprocessing, splits), report what preparation did in <c>status.dataset</c>, and store the prepared version
/// beside the job folders, keyed by its digest, so jobs on the same data share it.
/// </summary>
internal sealed class FineTuneDatasetPreparer(WorkerJobContext<FineTuneJob> context, StatusReporter<FineTuneJobStatus> status, Action<string> say)
{
    private const string Field = "spec.dataset";
    private readonly JobInputs _inputs = new(context);

    /// <summary>Fetches, verifies and prepares the dataset; the prepared files are also written under the work folder.</summary>
    public async Task<PreparedDataset> PrepareAsync(CancellationToken cancellationToken)
    {
        var dataset = context.Job.Spec.Dataset;
        var uri = ArtifactUris.Resolve(dataset.Uri, context.TaskDirectory);
        var (path, sourceDigest) = await _inputs.FetchFileAsync(uri, dataset.Digest, Field, ConditionReasons.DatasetInvalid, cancellationToken).ConfigureAwait(false);
        PreparedDataset prepared;
        try
        {
            prepared = DatasetPreparer.PrepareFile(path, FineTuneDatasetOptions.Calculate(dataset, path), cancellationToken);
        }
        catch (Exception error) when (error is DatasetFormatException or DatasetOptionsException)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, error.Message, error);
        }

        await PreparedDatasetWriter.WriteAsync(prepared, Path.Combine(context.WorkDirectory, "datasets", ArtifactDigest.ToPathSegment(prepared.Digest)), cancellationToken).ConfigureAwait(false);
        status.Update(s => s.Dataset = ToStatus(prepared, sourceDigest));
        var records = prepared.Report.Records;
        say(string.Create(CultureInfo.InvariantCulture, $"dataset {prepared.Digest}: {records.Input} records in, {records.Train}/{records.Validation}/{records.Test} train/validation/test"));
        return prepared;
    }

    /// <summary>Stores the prepared version (every split and its manifest) under the output's dataset folder.</summary>
    public static async Task<ArtifactRef> StoreVersionAsync(IArtifactStore output, PreparedDataset prepared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(prepared);
        StoredArtifact? manifest = null;
        try
        {
            foreach (var split in prepared.Splits)
            {
                await output.PutAsync(DatasetVersions.KeyOf("", prepared.Digest, split.FileName), new MemoryStream(SplitBytes(split)), "application/jsonl", null, cancellationToken).ConfigureAwait(false);
            }

            manifest = await output.PutAsync(DatasetVersions.KeyOf("", prepared.Digest, PreparedDatasetWriter.ManifestFileName), new MemoryStream(prepared.Manifest.ToArray()), "application/json", null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new JobFailureException(ConditionReasons.ArtifactStoreError, $"storing the prepared dataset: {error.Message}", error);
        }

        return new ArtifactRef { Uri = output.GetUri($"{DatasetVersions.Folder}/{ArtifactDigest.ToPathSegment(prepared.Digest)}/").ToString(), Digest = prepared.Digest, SizeBytes = prepared.Splits.Sum(s => s.SizeBytes) + manifest.SizeBytes };
    }

    /// <summary>A split as the JSONL bytes it is stored as.</summary>
    public static byte[] SplitBytes(PreparedSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        using var buffer = new MemoryStream();
        split.WriteJsonl(buffer);
        return buffer.ToArray();
    }

    private static DatasetStatus ToStatus(PreparedDataset prepared, string sourceDigest)
    {
        var report = prepared.Report;
        return new DatasetStatus
        {
            Digest = prepared.Digest,
            SourceDigest = sourceDigest,
            Records = new DatasetRecordCounts { Input = report.Records.Input, Train = report.Records.Train, Validation = report.Records.Validation, Test = report.Records.Test },
            Dropped = new Dictionary<string, long>
            {
                ["empty"] = report.Dropped.Empty,
                ["duplicate"] = report.Dropped.Duplicate,
                ["nearDuplicate"] = report.Dropped.NearDuplicate,
                ["blocked"] = report.Dropped.Blocked,
            },
            Redactions = new Dictionary<string, long>
            {
                ["email"] = report.Redactions.Email,
                ["phone"] = report.Redactions.Phone,
                ["idNumber"] = report.Redactions.IdNumber,
                ["creditCard"] = report.Redactions.BankCard,
            },
        };
    }
}
