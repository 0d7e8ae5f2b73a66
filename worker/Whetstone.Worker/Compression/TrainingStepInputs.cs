using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression;
using Whetstone.Compression.Alignment;
using Whetstone.Datasets;
using Whetstone.Datasets.Records;
using Whetstone.ML.Models;
using Whetstone.ML.Tokenization;
using Whetstone.Worker.FineTuning;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>
/// The inputs of a CompressionJob's training steps (distill, prune with recovery): each step's dataset fetched
/// (its digest pin checked), prepared exactly as a FineTuneJob's (default cleaning, an 0.8/0.1/0.1 split, seed 42)
/// and tokenized with the source model's tokenizer in the fine-tune's chat format (the loss counts the response
/// tokens), or a FineTuneJob's cleaned splits as they are; and the studentModel of a distill step fetched (a uri or
/// a FineTuneJob's model).
/// </summary>
internal sealed class TrainingStepInputs(WorkerJobContext<CompressionJob> context, JobInputs inputs, Action<string> say)
{
    /// <summary>The local model directory of each distill step that names a studentModel, by step index.</summary>
    public async Task<IReadOnlyDictionary<int, string>> FetchStudentModelsAsync(IReadOnlyList<CompressionStep> steps, CancellationToken cancellationToken)
    {
        var models = new Dictionary<int, string>();
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Distill?.StudentModel is not { } source)
            {
                continue;
            }
            var field = $"spec.steps[{i}].distill.studentModel";
            if (source.CompressionJobRef is { } compressed)
            {
                throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}.compressionJobRef ({compressed.Name}): a student is trained, so it must be a Llama model directory (a uri or a fineTuneJobRef), not a compressed model");
            }

            var (uri, pin) = await ReferencedSources.ModelAsync(context, source, field, cancellationToken).ConfigureAwait(false);
            var (directory, _) = await inputs.FetchModelAsync(uri, pin, field, field + ".digest", ConditionReasons.SourceNotFound, cancellationToken).ConfigureAwait(false);
            models[i] = directory;
        }
        return models;
    }

    /// <summary>The prepared, tokenized records of every training step, by step index.</summary>
    public async Task<IReadOnlyDictionary<int, StepTrainingData>> PrepareAsync(IReadOnlyList<CompressionStep> steps, string sourceDirectory, CancellationToken cancellationToken)
    {
        var data = new Dictionary<int, StepTrainingData>();
        ExampleTokenizer? examples = null;
        for (var i = 0; i < steps.Count; i++)
        {
            var (dataset, field) = steps[i] switch
            {
                { Distill: { } distill } => (distill.Dataset, $"spec.steps[{i}].distill.dataset"),
                { Prune.Recovery: { } recovery } => (recovery.Dataset, $"spec.steps[{i}].prune.recovery.dataset"),
                _ => (null, ""),
            };
            if (dataset is null)
            {
                continue;
            }
            examples ??= new ExampleTokenizer(LoadTokenizer(sourceDirectory));
            data[i] = await PrepareAsync(dataset, field, examples, cancellationToken).ConfigureAwait(false);
        }
        return data;
    }

    private async Task<StepTrainingData> PrepareAsync(DatasetSource dataset, string field, ExampleTokenizer examples, CancellationToken cancellationToken)
    {
        if (dataset.FineTuneJobRef is { } reference)
        {
            return await FromFineTuneJobAsync(dataset, reference.Name, field, examples, cancellationToken).ConfigureAwait(false);
        }

        var uri = dataset.Uri ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: one of uri or fineTuneJobRef is required");
        var (path, _) = await inputs.FetchFileAsync(ArtifactUris.Resolve(uri, context.TaskDirectory), dataset.Digest, field, ConditionReasons.SourceNotFound, cancellationToken).ConfigureAwait(false);
        PreparedDataset prepared;
        try
        {
            var format = dataset.Format ?? EvaluationSet.DetectFormat(path).ToName();
            prepared = DatasetPreparer.PrepareFile(path, FineTuneDatasetOptions.Calculate(new FineTuneDataset { Uri = uri, Format = format, Digest = dataset.Digest }, path), cancellationToken);
        }
        catch (Exception error) when (error is DatasetFormatException or DatasetOptionsException or InvalidDataException)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
        return Tokenized(prepared.Train.Records, prepared.Validation.Records, field, uri, $"{prepared.Report.Records.Input} records in", examples);
    }

    // A FineTuneJob's cleaned dataset, already split: the step trains on its train split (or the spec's split) and
    // validates on its validation split, as the fine-tune did. Every split file is checked against the dataset's
    // manifest, and a digest pin names the dataset version (the manifest's digest).
    private async Task<StepTrainingData> FromFineTuneJobAsync(DatasetSource dataset, string job, string field, ExampleTokenizer examples, CancellationToken cancellationToken)
    {
        var split = dataset.Split ?? DatasetSplits.Train;
        if (split == DatasetSplits.Test)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}.split: test is the held-out split the alignment is measured on; train on train or validation");
        }

        var splitUri = await ReferencedSources.DatasetAsync(context, dataset, field, split, cancellationToken).ConfigureAwait(false);
        var folder = splitUri[..(splitUri.LastIndexOf('/') + 1)];
        var local = Path.Combine(context.WorkDirectory, "step-data", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(folder)))[..16]);
        Directory.CreateDirectory(local);
        string[] files = split == DatasetSplits.Validation ? [PreparedDatasetWriter.ManifestFileName, "validation.jsonl"] : [PreparedDatasetWriter.ManifestFileName, split + ".jsonl", "validation.jsonl"];
        foreach (var name in files)
        {
            var (path, _) = await inputs.FetchFileAsync(folder + name, null, field, ConditionReasons.SourceNotFound, cancellationToken).ConfigureAwait(false);
            File.Copy(path, Path.Combine(local, name), overwrite: true);
        }

        var version = PreparedDatasetReader.ReadDigest(local);
        if (dataset.Digest is { } pin && pin != version)
        {
            throw new JobFailureException(ConditionReasons.DigestMismatch, $"{field}.digest pins {pin}, but FineTuneJob {job} recorded its dataset version as {version}");
        }

        try
        {
            var train = PreparedDatasetReader.ReadSplit(local, split, cancellationToken);
            var validation = split == DatasetSplits.Validation ? [] : PreparedDatasetReader.ReadSplit(local, DatasetSplits.Validation, cancellationToken);
            return Tokenized(train, validation, field, $"FineTuneJob {job} ({split} split of {version})", $"{train.Count} {split} records", examples);
        }
        catch (Exception error) when (error is InvalidDataException or DatasetFormatException or IOException)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}.fineTuneJobRef ({job}): {error.Message}", error);
        }
    }

    private StepTrainingData Tokenized(IEnumerable<DatasetRecord> trainRecords, IEnumerable<DatasetRecord> validationRecords, string field, string source, string counted, ExampleTokenizer examples)
    {
        var train = trainRecords.Select(examples.Tokenize).Where(e => e.InputIds.Length >= 2).ToList();
        var validation = validationRecords.Select(examples.Tokenize).Where(e => e.InputIds.Length >= 2).ToList();
        if (train.Count == 0)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: no training records are left after preparation ({counted})");
        }

        say(string.Create(CultureInfo.InvariantCulture, $"{field} {source}: {counted}, {train.Count}/{validation.Count} train/validation examples"));
        return new StepTrainingData(train, validation, source);
    }

    private static ChatTokenizer LoadTokenizer(string sourceDirectory)
    {
        try
        {
            return ChatTokenizer.Load(sourceDirectory);
        }
        catch (Exception error) when (error is ModelFormatException or IOException)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"spec.sourceModel: the training steps need the model's tokenizer: {error.Message}", error);
        }
    }
}
