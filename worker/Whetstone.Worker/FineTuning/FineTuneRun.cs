using System.Globalization;
using System.Text.Json;
using TorchSharp;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Runtime;
using Whetstone.ML.Training;
using Whetstone.Worker.Jobs;
using TrainingProgress = Whetstone.ML.Training.TrainingProgress;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// One attempt of a FineTuneJob: resolve the base model, prepare and store the dataset, tokenize, train (LoRA or
/// full) with checkpoints under <c>&lt;output&gt;/&lt;uid&gt;/checkpoints/&lt;configuration&gt;/</c> (resuming from the
/// latest), then store the adapter, the merged model, the loss curve, the test split and a manifest under
/// <c>&lt;output&gt;/&lt;uid&gt;/g&lt;generation&gt;/</c>. Expected failures throw <see cref="JobFailureException"/>.
/// </summary>
internal sealed class FineTuneRun(WorkerJobContext<FineTuneJob> context, StatusReporter<FineTuneJobStatus> status, IProgress<TrainingProgress>? progress, Action<string> say)
{
    private readonly FineTuneJobSpec _spec = context.Job.Spec;
    private readonly JobInputs _inputs = new(context, say);

    public async Task<FineTuneOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var outputUri = ArtifactUris.Resolve(_spec.Output?.Uri ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, "spec.output.uri is required"), context.TaskDirectory);
        using var output = _inputs.OpenOutput(outputUri, ConditionReasons.ArtifactStoreError);
        var outputs = new FineTuneOutputs(context, output, status, say);
        using var attemptLock = await AttemptLock.AcquireForJobAsync(context, outputUri, say, cancellationToken).ConfigureAwait(false);
        await JobLeftovers.RemoveAsync(output, outputUri, context, say, cancellationToken).ConfigureAwait(false);

        var (baseModel, baseDirectory, baseDigest) = await ResolveBaseModelAsync(cancellationToken).ConfigureAwait(false);
        var device = TorchRuntime.SelectDevice();
        TorchRuntime.ConfigureThreads();
        using var language = LoadBaseModel(baseModel, baseDirectory, device);

        var prepared = await new FineTuneDatasetPreparer(context, status, say).PrepareAsync(cancellationToken).ConfigureAwait(false);
        var datasetRef = await FineTuneDatasetPreparer.StoreVersionAsync(output, prepared, cancellationToken).ConfigureAwait(false);
        var testRef = await outputs.PutAsync("test.jsonl", FineTuneDatasetPreparer.SplitBytes(prepared.Test), "application/jsonl", cancellationToken).ConfigureAwait(false);
        status.Update(s => s.Artifacts = new FineTuneArtifacts { Generation = context.Generation, Dataset = datasetRef, TestSplit = testRef });
        var (train, validation) = Tokenize(language, prepared);

        // Multiple-choice data: the base model answers the held-out test questions before any training.
        var accuracy = TestSplitAccuracy.For(prepared.Test);
        accuracy?.MeasureBase(language, cancellationToken);
        var options = FineTuneTrainingOptions.Calculate(_spec, language.Tokenizer.PadId, train.Count);
        MeasureBaseValidationLoss(options, language, validation);

        torch.manual_seed(options.Seed);
        var lora = FineTuneTrainingOptions.IsLora(_spec) ? LoraInjector.Inject(language.Model, FineTuneTrainingOptions.CalculateLora(_spec)) : null;
        var costOptions = FineTuneTrainingOptions.CalculateCost(_spec);
        var trainableParameters = EstimateCost(options, costOptions, language, lora, train, validation);

        var configurationKey = TrainingConfigurationKey.Calculate(_spec, baseDigest, prepared.Digest);
        var checkpointPrefix = $"{ArtifactKeys.JobOutputPrefix("", context.JobUid)}checkpoints/{configurationKey}/";
        var checkpoints = await JobCheckpoints.OpenAsync(context, outputUri, output, checkpointPrefix, say, cancellationToken).ConfigureAwait(false);
        var trainer = new Trainer(options, checkpoints.Store, new TrainingStatusProgress(status, progress, options.EvaluateEverySteps));
        if (await checkpoints.Store.GetLatestAsync(cancellationToken).ConfigureAwait(false) is { } latest)
        {
            say($"resuming from checkpoint {latest}");
        }

        say(string.Create(CultureInfo.InvariantCulture, $"training {FineTuneTrainingOptions.MethodName(_spec)}: {train.Count} train / {validation.Count} validation examples, {TrainingPlan.Create(train.Count, options).TotalSteps} steps, {trainableParameters:N0} trainable parameters; {(options.PackSequences ? "examples packed into rows" : "examples padded")}; {ResolvedPrecision.Resolve(options.Precision, device.type).Description}"));
        var result = await ScratchWrites.RunAsync(checkpoints.LocalDirectory, "a checkpoint",
            () => trainer.TrainAsync(language.Model, train, validation, cancellationToken)).ConfigureAwait(false);
        await checkpoints.SyncAsync().ConfigureAwait(false);
        status.Update(s => TrainingStatusMapper.ApplyResult(s, result));
        switch (result.StopReason)
        {
            case TrainingStopReason.Diverged:
                throw new JobFailureException(ConditionReasons.Diverged, $"training diverged at step {result.Step}: {result.Message}");
            case TrainingStopReason.Interrupted:
                say(result.Message);
                return FineTuneOutcome.Interrupted;
        }

        RecordMeasuredCost(result, costOptions);
        if (accuracy is not null)
        {
            accuracy.MeasureTuned(language, cancellationToken);
            status.Update(accuracy.ApplyTo);
        }

        await outputs.StoreAsync(new FineTuneResult(language, lora, result, baseModel, baseDigest, prepared.Digest, accuracy), cancellationToken).ConfigureAwait(false);
        if (accuracy is not null)
        {
            say(accuracy.Describe());
        }

        return FineTuneOutcome.Succeeded;
    }

    private async Task<(ResolvedModelSource Source, string Directory, string Digest)> ResolveBaseModelAsync(CancellationToken cancellationToken)
    {
        var source = await ModelSourceResolver.ResolveAsync(_spec.BaseModel, context, cancellationToken).ConfigureAwait(false);
        var pinField = source.FineTuneJobRef is { } name ? $"FineTuneJob {name}'s status.artifacts.model.digest" : "spec.baseModel.digest";
        var (directory, digest) = await _inputs.FetchModelAsync(source.Uri, source.Digest, "spec.baseModel", pinField, ConditionReasons.ModelInvalid, cancellationToken).ConfigureAwait(false);
        say($"base model {directory} ({digest})");
        return (source, directory, digest);
    }

    private static LanguageModel LoadBaseModel(ResolvedModelSource source, string directory, torch.Device device)
    {
        try
        {
            return LanguageModel.Load(directory, device);
        }
        catch (Exception error) when (error is ModelFormatException or IOException or JsonException or InvalidOperationException)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"base model {source.Uri}: {error.Message}", error);
        }
    }

    private (List<TrainingExample> Train, List<TrainingExample> Validation) Tokenize(LanguageModel language, Whetstone.Datasets.PreparedDataset prepared)
    {
        var examples = new ExampleTokenizer(language.Tokenizer);
        var train = prepared.Train.Records.Select(examples.Tokenize).ToList();
        var validation = prepared.Validation.Records.Select(examples.Tokenize).ToList();
        if (train.Count == 0)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{_spec.Dataset.Uri}: no training records are left after preparation (input {prepared.Report.Records.Input})");
        }

        return (train, validation);
    }

    /// <summary>The base model's validation loss, by the same rule as training's evaluations: the "before" of the job.</summary>
    private void MeasureBaseValidationLoss(TrainingOptions options, LanguageModel language, List<TrainingExample> validation)
    {
        if (TrainingStatusMapper.Shown(new Trainer(options).EvaluateLoss(language.Model, validation)) is { } measured)
        {
            status.Update(s => (s.Metrics ??= new TrainingMetrics()).BaseValidationLoss = measured);
            say(string.Create(CultureInfo.InvariantCulture, $"base model validation loss {measured:F4}"));
        }
    }

    /// <summary>Records the run's estimated GPU time and cost; returns the number of trainable parameters.</summary>
    private long EstimateCost(TrainingOptions options, TrainingCostOptions costOptions, LanguageModel language, LoraModel? lora, List<TrainingExample> train, List<TrainingExample> validation)
    {
        var baseParameters = lora?.BaseParameterCount ?? language.Model.parameters().Sum(p => p.numel());
        var trainableParameters = lora?.TrainableParameterCount ?? baseParameters;

        // GPU time is priced per GPU; a CPU run (count 0) is estimated as if on one GPU of the type.
        var estimate = TrainingCostEstimator.EstimateRun(baseParameters, trainableParameters, lora is not null, train, validation, options, costOptions with { GpuCount = Math.Max(1, costOptions.GpuCount) });
        status.Update(s => s.Cost = new CostStatus { EstimatedGpuSeconds = estimate.GpuSeconds, EstimatedCost = estimate.Cost });
        return trainableParameters;
    }

    private void RecordMeasuredCost(TrainingResult result, TrainingCostOptions costOptions)
    {
        var measured = TrainingCostEstimator.Measure(result.WallSeconds, costOptions);
        status.Update(s =>
        {
            s.Cost ??= new CostStatus();
            s.Cost.GpuSeconds = measured.GpuSeconds;
            s.Cost.Cost = measured.Cost;
        });
    }
}
