using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression;
using Whetstone.Compression.Alignment;
using Whetstone.Datasets;
using Whetstone.ML.Models;
using Whetstone.ML.Tokenization;
using Whetstone.Worker.FineTuning;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>
/// The inputs of a CompressionJob's training steps (distill, prune with recovery): each step's dataset fetched
/// (its digest pin checked), prepared exactly as a FineTuneJob's (default cleaning, an 0.8/0.1/0.1 split, seed 42)
/// and tokenized with the source model's tokenizer in the fine-tune's chat format (the loss counts the response
/// tokens); and the studentModel of a distill step fetched. Only a <c>uri</c> is read for either.
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
            var uri = source.Uri ?? throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}: only a uri is supported for a student model");
            var (directory, _) = await inputs.FetchModelAsync(ArtifactUris.Resolve(uri, context.TaskDirectory), source.Digest, field, field + ".digest", ConditionReasons.SourceNotFound, cancellationToken).ConfigureAwait(false);
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
        var uri = dataset.Uri ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: only a uri is supported for training records");
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
        var train = prepared.Train.Records.Select(examples.Tokenize).Where(e => e.InputIds.Length >= 2).ToList();
        var validation = prepared.Validation.Records.Select(examples.Tokenize).Where(e => e.InputIds.Length >= 2).ToList();
        if (train.Count == 0)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: no training records are left after preparation (input {prepared.Report.Records.Input})");
        }
        say(string.Create(CultureInfo.InvariantCulture, $"{field} {uri}: {prepared.Report.Records.Input} records in, {train.Count}/{validation.Count} train/validation examples"));
        return new StepTrainingData(train, validation, uri);
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
