using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Datasets;
using Whetstone.Artifacts.Models;
using Whetstone.Datasets;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Splitting;
using Whetstone.ML.Charts;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Runtime;
using Whetstone.ML.Training;
using Whetstone.Worker.Jobs;
using ApiLossPoint = Whetstone.Api.V1Alpha1.LossPoint;
using ApiTrainingProgress = Whetstone.Api.V1Alpha1.TrainingProgress;
using TrainingProgress = Whetstone.ML.Training.TrainingProgress;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// One attempt of a FineTuneJob: resolve the base model, prepare and store the dataset, tokenize, train (LoRA or
/// full) with checkpoints under <c>&lt;output&gt;/&lt;uid&gt;/checkpoints/</c> (resuming from the latest), then store
/// the adapter, the merged model, the loss curve, the test split and a manifest under <c>&lt;output&gt;/&lt;uid&gt;/</c>.
/// Expected failures throw <see cref="FineTuneFailureException"/>.
/// </summary>
internal sealed class FineTuneRun(FineTuneContext context, StatusReporter status, IProgress<TrainingProgress>? progress, Action<string> say)
{
    // Longer than any termination grace period: the previous attempt is SIGKILLed by then, which releases the lock.
    private static readonly TimeSpan AttemptLockTimeout = TimeSpan.FromMinutes(10);
    private readonly FineTuneJobSpec _spec = context.Job.Spec;
    private readonly ArtifactStoreOptions _storeOptions = ArtifactStoreOptions.FromEnvironment();
    private ResolvedModelSource? _baseModel;

    private ResolvedModelSource BaseModel => _baseModel ?? throw new InvalidOperationException("the base model is resolved first");

    private string PinField => BaseModel.FineTuneJobRef is { } name ? $"FineTuneJob {name}'s status.artifacts.model.digest" : "spec.baseModel.digest";

    public async Task<FineTuneOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var outputUri = ArtifactUris.Resolve(_spec.Output?.Uri ?? throw Invalid("spec.output.uri is required"), context.TaskDirectory);
        using var output = OpenStore(outputUri);
        var uidPrefix = ArtifactKeys.JobOutputPrefix("", context.JobUid);
        var jobPrefix = context.Generation is { } generation ? string.Create(CultureInfo.InvariantCulture, $"{uidPrefix}g{generation}/") : uidPrefix;
        using var attemptLock = await AcquireAttemptLockAsync(outputUri, cancellationToken).ConfigureAwait(false);

        var (baseDirectory, baseDigest) = await ResolveBaseModelAsync(cancellationToken).ConfigureAwait(false);
        say($"base model {baseDirectory} ({baseDigest})");
        var device = TorchRuntime.SelectDevice();
        TorchRuntime.ConfigureThreads();
        LanguageModel language;
        try
        {
            language = LanguageModel.Load(baseDirectory, device);
        }
        catch (Exception error) when (error is ModelFormatException or IOException or JsonException or InvalidOperationException)
        {
            throw new FineTuneFailureException(ConditionReasons.ModelInvalid, $"base model {BaseModel.Uri}: {error.Message}", error);
        }

        using (language)
        {
            var prepared = await PrepareDatasetAsync(output, cancellationToken).ConfigureAwait(false);
            var datasetRef = await StoreDatasetVersionAsync(output, prepared, cancellationToken).ConfigureAwait(false);
            var testRef = ToRef(await PutBytesAsync(output, jobPrefix + "test.jsonl", SplitBytes(prepared.Test), "application/jsonl", cancellationToken).ConfigureAwait(false));
            status.Update(s => s.Artifacts = new FineTuneArtifacts { Generation = context.Generation, Dataset = datasetRef, TestSplit = testRef });

            var examples = new ExampleTokenizer(language.Tokenizer);
            var train = prepared.Train.Records.Select(examples.Tokenize).ToList();
            var validation = prepared.Validation.Records.Select(examples.Tokenize).ToList();
            if (train.Count == 0)
            {
                throw Invalid($"{_spec.Dataset.Uri}: no training records are left after preparation (input {prepared.Report.Records.Input})");
            }

            // Multiple-choice data: the base model answers the held-out test questions before any training.
            var accuracy = TestSplitAccuracy.For(prepared.Test);
            accuracy?.MeasureBase(language, cancellationToken);

            var isLora = FineTuneTrainingOptions.IsLora(_spec);
            var options = FineTuneTrainingOptions.Calculate(_spec, language.Tokenizer.PadId, train.Count);
            // The base model's validation loss, by the same rule as training's evaluations: the "before" of the job.
            var baseValidationLoss = Shown(new Trainer(options).EvaluateLoss(language.Model, validation));
            if (baseValidationLoss is { } measuredBase)
            {
                status.Update(s => (s.Metrics ??= new TrainingMetrics()).BaseValidationLoss = measuredBase);
                say(string.Create(CultureInfo.InvariantCulture, $"base model validation loss {measuredBase:F4}"));
            }

            torch.manual_seed(options.Seed);
            LoraModel? lora = isLora ? LoraInjector.Inject(language.Model, FineTuneTrainingOptions.CalculateLora(_spec)) : null;
            var baseParameters = lora?.BaseParameterCount ?? language.Model.parameters().Sum(p => p.numel());
            var trainableParameters = lora?.TrainableParameterCount ?? baseParameters;
            var costOptions = new TrainingCostOptions(_spec.Cost?.GpuHourPrice ?? 0, _spec.Resources?.Gpu?.Product ?? "nvidia-a100", _spec.Resources?.Gpu?.Count ?? 0);
            EstimateCost(options, train, validation, baseParameters, trainableParameters, isLora, costOptions);

            var configurationKey = TrainingConfigurationKey.Calculate(_spec, baseDigest, prepared.Digest);
            var checkpoints = await OpenCheckpointsAsync(outputUri, output, $"{uidPrefix}checkpoints/{configurationKey}/", cancellationToken).ConfigureAwait(false);
            var trainer = new Trainer(options, checkpoints.Store, new Progress(status, progress, options.EvaluateEverySteps));
            if (await checkpoints.Store.GetLatestAsync(cancellationToken).ConfigureAwait(false) is { } latest)
            {
                say($"resuming from checkpoint {latest}");
            }

            say(string.Create(CultureInfo.InvariantCulture, $"training {FineTuneTrainingOptions.MethodName(_spec)}: {train.Count} train / {validation.Count} validation examples, {TrainingPlan.Create(train.Count, options).TotalSteps} steps, {trainableParameters:N0} trainable parameters; {ResolvedPrecision.Resolve(options.Precision, device.type).Description}"));
            var result = await trainer.TrainAsync(language.Model, train, validation, cancellationToken).ConfigureAwait(false);
            await checkpoints.SyncAsync().ConfigureAwait(false);
            ReportResult(result);
            switch (result.StopReason)
            {
                case TrainingStopReason.Diverged:
                    throw new FineTuneFailureException(ConditionReasons.Diverged, $"training diverged at step {result.Step}: {result.Message}");
                case TrainingStopReason.Interrupted:
                    say(result.Message);
                    return FineTuneOutcome.Interrupted;
            }

            var measured = TrainingCostEstimator.Measure(result.WallSeconds, costOptions);
            status.Update(s =>
            {
                s.Cost ??= new CostStatus();
                s.Cost.GpuSeconds = measured.GpuSeconds;
                s.Cost.Cost = measured.Cost;
            });
            if (accuracy is not null)
            {
                accuracy.MeasureTuned(language, cancellationToken);
                status.Update(accuracy.ApplyTo);
            }

            await StoreOutputsAsync(output, jobPrefix, language, lora, result, baseDigest, prepared.Digest, accuracy, cancellationToken).ConfigureAwait(false);
            if (accuracy is not null)
            {
                say(accuracy.Describe());
            }

            return FineTuneOutcome.Succeeded;
        }
    }

    private async Task<AttemptLock> AcquireAttemptLockAsync(string outputUri, CancellationToken cancellationToken)
    {
        // Where this attempt's checkpoints live on this machine: in place for file:// output, else the local mirror.
        var directory = ArtifactUris.LocalPathOf(outputUri) is { } localOutput ? Path.Combine(localOutput, context.JobUid) : context.WorkDirectory;
        try
        {
            return await AttemptLock.AcquireAsync(directory, AttemptLockTimeout, say, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException error)
        {
            throw new FineTuneFailureException(ConditionReasons.WorkerFailed, error.Message, error);
        }
    }

    private static FineTuneFailureException Invalid(string message) => new(ConditionReasons.DatasetInvalid, message);

    private IArtifactStore OpenStore(string rootUri)
    {
        try
        {
            return ArtifactStoreFactory.Create(rootUri.EndsWith('/') ? rootUri : rootUri + "/", _storeOptions);
        }
        catch (ArgumentException error)
        {
            throw new FineTuneFailureException(ConditionReasons.ArtifactStoreError, error.Message, error);
        }
    }

    private async Task<(string Directory, string Digest)> ResolveBaseModelAsync(CancellationToken cancellationToken)
    {
        var source = await ModelSourceResolver.ResolveAsync(_spec.BaseModel, context, cancellationToken).ConfigureAwait(false);
        _baseModel = source;
        var uri = source.Uri;
        var pin = source.Digest;
        var local = ArtifactUris.LocalPathOf(uri);
        if (local is not null && Directory.Exists(local) && !File.Exists(Path.Combine(local, ModelManifest.FileName)))
        {
            // A plain model directory (like the committed examples/models/tiny-llama): no manifest, so its digest is
            // the digest of its weights file.
            var weights = Path.Combine(local, LlamaCheckpoint.WeightsFileName);
            if (!File.Exists(weights))
            {
                throw new FineTuneFailureException(ConditionReasons.ModelInvalid, $"base model {uri}: {weights} does not exist");
            }

            string digest;
            await using (var stream = File.OpenRead(weights))
            {
                digest = await ArtifactDigest.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            if (pin is not null && !string.Equals(pin, digest, StringComparison.Ordinal))
            {
                throw new FineTuneFailureException(ConditionReasons.DigestMismatch, $"base model {uri}: digest is {digest}, {PinField} pins {pin}");
            }

            return (local, digest);
        }

        var folder = uri.EndsWith('/') ? uri : uri + "/";
        var parent = folder[..folder.TrimEnd('/').LastIndexOf('/')] + "/";
        var name = folder[parent.Length..];
        try
        {
            using var store = ArtifactStoreFactory.Create(parent, _storeOptions);
            var cached = await new ModelCache(Path.Combine(context.WorkDirectory, "models")).GetAsync(store, name, pin, cancellationToken).ConfigureAwait(false);
            return (cached.Directory, cached.Digest);
        }
        catch (ArtifactIntegrityException error)
        {
            throw new FineTuneFailureException(ConditionReasons.DigestMismatch, $"base model {uri}: {error.Message}", error);
        }
        catch (ArtifactNotFoundException error)
        {
            throw new FineTuneFailureException(ConditionReasons.ModelInvalid, $"base model {uri}: {error.Message}", error);
        }
        catch (Exception error) when (error is ArtifactStoreException or ArgumentException or IOException)
        {
            throw new FineTuneFailureException(ConditionReasons.ArtifactStoreError, $"base model {uri}: {error.Message}", error);
        }
    }

    private async Task<PreparedDataset> PrepareDatasetAsync(IArtifactStore output, CancellationToken cancellationToken)
    {
        var dataset = _spec.Dataset;
        var uri = ArtifactUris.Resolve(dataset.Uri, context.TaskDirectory);
        var path = ArtifactUris.LocalPathOf(uri) ?? await DownloadDatasetAsync(uri, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(path))
        {
            throw Invalid($"spec.dataset.uri: {path} does not exist");
        }

        string sourceDigest;
        await using (var stream = File.OpenRead(path))
        {
            sourceDigest = await ArtifactDigest.ComputeAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        if (dataset.Digest is not null && !string.Equals(dataset.Digest, sourceDigest, StringComparison.Ordinal))
        {
            throw new FineTuneFailureException(ConditionReasons.DigestMismatch, $"dataset {uri}: digest is {sourceDigest}, spec.dataset.digest pins {dataset.Digest}");
        }

        PreparedDataset prepared;
        try
        {
            prepared = DatasetPreparer.PrepareFile(path, BuildDatasetOptions(path), cancellationToken);
        }
        catch (DatasetFormatException error)
        {
            throw Invalid(error.Message);
        }
        catch (DatasetOptionsException error)
        {
            throw Invalid(error.Message);
        }

        await PreparedDatasetWriter.WriteAsync(prepared, Path.Combine(context.WorkDirectory, "datasets", ArtifactDigest.ToPathSegment(prepared.Digest)), cancellationToken).ConfigureAwait(false);
        var report = prepared.Report;
        status.Update(s => s.Dataset = new DatasetStatus
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
        });
        say(string.Create(CultureInfo.InvariantCulture, $"dataset {prepared.Digest}: {report.Records.Input} records in, {report.Records.Train}/{report.Records.Validation}/{report.Records.Test} train/validation/test"));
        _ = output;
        return prepared;
    }

    private async Task<string> DownloadDatasetAsync(string uri, CancellationToken cancellationToken)
    {
        var target = Path.Combine(context.WorkDirectory, "source", Path.GetFileName(new Uri(uri).AbsolutePath));
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
        catch (ArtifactIntegrityException error)
        {
            throw new FineTuneFailureException(ConditionReasons.DigestMismatch, $"dataset {uri}: {error.Message}", error);
        }
        catch (ArtifactNotFoundException error)
        {
            throw Invalid($"spec.dataset.uri: {error.Message}");
        }
        catch (Exception error) when (error is ArtifactStoreException or ArgumentException)
        {
            throw new FineTuneFailureException(ConditionReasons.ArtifactStoreError, $"dataset {uri}: {error.Message}", error);
        }

        return target;
    }

    private DatasetPreparationOptions BuildDatasetOptions(string path)
    {
        var dataset = _spec.Dataset;
        try
        {
            DatasetFileType? fileType = null;
            DatasetFormat format;
            if (string.Equals(dataset.Format, "csv", StringComparison.Ordinal))
            {
                format = DatasetReader.InferCsvFormat(path);
                fileType = DatasetFileType.Csv;
            }
            else
            {
                format = DatasetFormatNames.Parse(dataset.Format);
            }

            var pre = dataset.Preprocessing;
            var split = dataset.Split;
            return new DatasetPreparationOptions(format)
            {
                FileType = fileType,
                Preprocessing = new PreprocessingOptions
                {
                    DropEmpty = pre?.DropEmpty ?? true,
                    NormalizeWhitespace = pre?.NormalizeWhitespace ?? true,
                    Lowercase = pre?.Lowercase ?? false,
                    Deduplicate = DeduplicationModeNames.Parse(pre?.Deduplicate ?? "exact"),
                    RedactPii = [.. (pre?.RedactPII ?? []).Select(kind => PiiKindNames.Parse(kind == "creditCard" ? "bankCard" : kind))],
                    BlockedTerms = [.. pre?.BlockedTerms ?? []],
                },
                Split = new SplitOptions
                {
                    Train = split?.Train ?? 0.8,
                    Validation = split?.Validation ?? 0.1,
                    Test = split?.Test ?? 0.1,
                    Seed = split?.Seed ?? 42,
                },
            };
        }
        catch (DatasetOptionsException error)
        {
            throw Invalid(error.Message);
        }
        catch (DatasetFormatException error)
        {
            throw Invalid(error.Message);
        }
    }

    private async Task<ArtifactRef> StoreDatasetVersionAsync(IArtifactStore output, PreparedDataset prepared, CancellationToken cancellationToken)
    {
        // The prepared version lives beside the job folders, keyed by its digest, so jobs on the same data share it.
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
            throw new FineTuneFailureException(ConditionReasons.ArtifactStoreError, $"storing the prepared dataset: {error.Message}", error);
        }

        return new ArtifactRef { Uri = output.GetUri($"{DatasetVersions.Folder}/{ArtifactDigest.ToPathSegment(prepared.Digest)}/").ToString(), Digest = prepared.Digest, SizeBytes = prepared.Splits.Sum(s => s.SizeBytes) + manifest.SizeBytes };
    }

    private static byte[] SplitBytes(PreparedSplit split)
    {
        using var buffer = new MemoryStream();
        split.WriteJsonl(buffer);
        return buffer.ToArray();
    }

    private static async Task<StoredArtifact> PutBytesAsync(IArtifactStore store, string key, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            return await store.PutAsync(key, new MemoryStream(bytes), contentType, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new FineTuneFailureException(ConditionReasons.ArtifactStoreError, $"storing {store.GetUri(key)}: {error.Message}", error);
        }
    }

    private static ArtifactRef ToRef(StoredArtifact stored) => new() { Uri = stored.Uri.ToString(), Digest = stored.Digest, SizeBytes = stored.SizeBytes };

    private void EstimateCost(TrainingOptions options, List<TrainingExample> train, List<TrainingExample> validation, long baseParameters, long trainableParameters, bool isLora, TrainingCostOptions costOptions)
    {
        // GPU time is priced per GPU; a CPU run (count 0) is estimated as if on one GPU of the type.
        var estimate = TrainingCostEstimator.EstimateRun(baseParameters, trainableParameters, isLora, train, validation, options, costOptions with { GpuCount = Math.Max(1, costOptions.GpuCount) });
        status.Update(s => s.Cost = new CostStatus { EstimatedGpuSeconds = estimate.GpuSeconds, EstimatedCost = estimate.Cost });
    }

    private async Task<CheckpointLocation> OpenCheckpointsAsync(string outputUri, IArtifactStore output, string checkpointPrefix, CancellationToken cancellationToken)
    {
        var localOutput = ArtifactUris.LocalPathOf(outputUri);
        if (localOutput is not null)
        {
            // file:// output: checkpoints are written in place, so a later attempt on this machine resumes from them.
            var root = Path.Combine(localOutput, checkpointPrefix.TrimEnd('/'));
            Directory.CreateDirectory(root);
            return new CheckpointLocation(new LocalDirectoryCheckpointStore(root), () => Task.CompletedTask);
        }

        // Object-store output: checkpoints are written locally and each one is uploaded under <uid>/checkpoints/ as
        // soon as it is committed; the newest one in the store is brought back first.
        var mirrored = new MirroredCheckpointStore(new LocalDirectoryCheckpointStore(Path.Combine(context.WorkDirectory, checkpointPrefix.TrimEnd('/'))), output, checkpointPrefix, say);
        try
        {
            await mirrored.RestoreLatestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new FineTuneFailureException(ConditionReasons.ArtifactStoreError, $"restoring the latest checkpoint from {output.GetUri(checkpointPrefix)}: {error.Message}", error);
        }

        return new CheckpointLocation(mirrored, mirrored.DrainAsync);
    }

    private void ReportResult(TrainingResult result)
    {
        status.Update(s =>
        {
            s.Progress ??= new ApiTrainingProgress();
            s.Progress.Step = result.Step;
            s.Progress.TotalSteps = result.TotalSteps;
            s.Progress.Percent = (int)Math.Round(100.0 * result.Step / Math.Max(1, result.TotalSteps));
            s.Metrics ??= new TrainingMetrics();
            s.Metrics.TrainLoss = Shown(result.FinalTrainLoss);
            s.Metrics.ValidationLoss = Shown(result.FinalValidationLoss);
            s.Metrics.BestValidationLoss = Shown(result.BestValidationLoss);
            s.Metrics.BestStep = result.BestValidationStep;
            s.Metrics.TokensPerSecond = result.TokensPerSecond;
            s.LossHistory = [.. result.BoundedLossHistory.Select(ToApi)];
        });
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    /// <summary>
    /// A loss as status shows it: finite, to 4 decimals (kubectl prints numbers as stored, and 17 digits of a loss
    /// tell a person nothing). Manifests and the loss-curve artifact keep full precision.
    /// </summary>
    private static double? Shown(double? value) => Finite(value) is { } v ? Math.Round(v, 4) : null;

    private static ApiLossPoint ToApi(Whetstone.ML.Monitoring.LossPoint point) => new()
    {
        Step = point.Step,
        TrainLoss = Shown(point.TrainLoss),
        ValidationLoss = Shown(point.ValidationLoss),
    };

    private async Task StoreOutputsAsync(IArtifactStore output, string jobPrefix, LanguageModel language, LoraModel? lora, TrainingResult result, string baseDigest, string datasetDigest, TestSplitAccuracy? accuracy, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(context.WorkDirectory, "outputs", jobPrefix.TrimEnd('/'));
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var artifacts = new FineTuneArtifacts();
        status.Update(s => artifacts = s.Artifacts ?? new FineTuneArtifacts { Generation = context.Generation });

        var curve = LossCurveDocument.FromPoints(result.LossCurve);
        var curveJson = Path.Combine(staging, "loss-curve.json");
        var curvePng = Path.Combine(staging, "loss-curve.png");
        LossCurveChart.WriteJson(curve, curveJson);
        LossCurveChart.WritePng(curve, curvePng, $"{context.Job.Metadata.Name}: fine-tuning loss");
        var curveStored = await PutBytesAsync(output, jobPrefix + "loss-curve.json", await File.ReadAllBytesAsync(curveJson, cancellationToken).ConfigureAwait(false), "application/json", cancellationToken).ConfigureAwait(false);
        await PutBytesAsync(output, jobPrefix + "loss-curve.png", await File.ReadAllBytesAsync(curvePng, cancellationToken).ConfigureAwait(false), "image/png", cancellationToken).ConfigureAwait(false);
        artifacts.LossCurve = ToRef(curveStored);

        var provenance = new ModelProvenance(
            Producer: new ModelProducer(Kinds.FineTuneJob, context.Job.Metadata.NamespaceProperty, context.Job.Metadata.Name ?? "", context.JobUid),
            SourceModelDigest: baseDigest,
            DatasetDigest: datasetDigest,
            Parameters: new Dictionary<string, JsonNode?>
            {
                ["method"] = FineTuneTrainingOptions.MethodName(_spec),
                ["steps"] = result.Step,
                ["bestValidationLoss"] = Finite(result.BestValidationLoss),
            });

        if (lora is not null)
        {
            var adapterDirectory = Path.Combine(staging, "adapter");
            PeftAdapterFiles.Save(lora, adapterDirectory, BaseModel.Uri);
            StoredArtifact? weights = null;
            long size = 0;
            foreach (var file in Directory.GetFiles(adapterDirectory).Order(StringComparer.Ordinal))
            {
                var stored = await PutBytesAsync(output, jobPrefix + "adapter/" + Path.GetFileName(file), await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), "application/octet-stream", cancellationToken).ConfigureAwait(false);
                size += stored.SizeBytes;
                if (Path.GetFileName(file) == PeftAdapterFiles.WeightsFileName)
                {
                    weights = stored;
                }
            }

            artifacts.Adapter = new ArtifactRef { Uri = output.GetUri(jobPrefix + "adapter/").ToString(), Digest = weights?.Digest, SizeBytes = size };
            lora.MergeAndUnload();
        }

        var mergedDirectory = Path.Combine(staging, "model");
        language.Save(mergedDirectory);
        StoredModel model;
        try
        {
            // A retried attempt whose predecessor already stored the model keeps that one (keys are write-once).
            model = await output.ExistsAsync(jobPrefix + "model/" + ModelManifest.FileName, cancellationToken).ConfigureAwait(false)
                ? (await ModelDirectories.ReadManifestAsync(output, jobPrefix + "model/", null, cancellationToken).ConfigureAwait(false)).Model
                : await ModelDirectories.UploadAsync(output, jobPrefix + "model/", mergedDirectory, provenance, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ArtifactStoreException or IOException)
        {
            throw new FineTuneFailureException(ConditionReasons.ArtifactStoreError, $"storing the merged model: {error.Message}", error);
        }

        artifacts.Model = new ArtifactRef { Uri = model.Uri.ToString(), Digest = model.Digest, SizeBytes = model.SizeBytes };

        // The job manifest: one file naming every output with its digest.
        var manifest = new JsonObject
        {
            ["kind"] = Kinds.FineTuneJob,
            ["name"] = context.Job.Metadata.Name,
            ["uid"] = context.JobUid,
            ["generation"] = context.Generation,
            ["baseModel"] = new JsonObject { ["uri"] = BaseModel.Uri, ["digest"] = baseDigest, ["fineTuneJobRef"] = BaseModel.FineTuneJobRef },
            ["method"] = FineTuneTrainingOptions.MethodName(_spec),
            ["stopReason"] = result.StopReason.ToString(),
            ["steps"] = result.Step,
            ["finalTrainLoss"] = Finite(result.FinalTrainLoss),
            ["bestValidationLoss"] = Finite(result.BestValidationLoss),
            ["artifacts"] = JsonNode.Parse(k8s.KubernetesJson.Serialize(artifacts)),
            ["testEvaluation"] = accuracy?.ToManifest(),
        };
        await PutBytesAsync(output, jobPrefix + "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"), "application/json", cancellationToken).ConfigureAwait(false);
        status.Update(s => s.Artifacts = artifacts);
        say($"outputs stored under {output.GetUri(jobPrefix)}");
    }

    private sealed record CheckpointLocation(ICheckpointStore Store, Func<Task> SyncAsync);

    /// <summary>Feeds the trainer's progress into the status and on to the console.</summary>
    private sealed class Progress(StatusReporter status, IProgress<TrainingProgress>? next, int evaluateEverySteps) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            status.Update(s =>
            {
                s.Progress = new ApiTrainingProgress
                {
                    Epoch = value.Epoch,
                    Step = value.Step,
                    TotalSteps = value.TotalSteps,
                    Percent = (int)Math.Floor(value.Percent),
                    EtaSeconds = (long)Math.Round(value.EtaSeconds),
                };
                s.Metrics = new TrainingMetrics
                {
                    TrainLoss = Shown(value.TrainLoss),
                    ValidationLoss = Shown(value.ValidationLoss),
                    BestValidationLoss = Shown(value.BestValidationLoss),
                    BestStep = s.Metrics?.BestStep,
                    TokensPerSecond = value.TokensPerSecond,
                    BaseValidationLoss = s.Metrics?.BaseValidationLoss,
                    BaseTestAccuracy = s.Metrics?.BaseTestAccuracy,
                };
                var history = s.LossHistory ?? [];
                var evaluated = value.Step % evaluateEverySteps == 0 || value.Step == value.TotalSteps;
                history.Add(new ApiLossPoint
                {
                    Step = value.Step,
                    Epoch = value.Epoch,
                    TrainLoss = Shown(value.TrainLoss),
                    ValidationLoss = evaluated ? Shown(value.ValidationLoss) : null,
                });

                // Bounded as api.md requires: keep every other point once full (evenly thinned, the latest kept).
                s.LossHistory = history.Count > LossHistory.DefaultMaxStatusPoints
                    ? [.. history.Where((_, i) => i % 2 == 0 || i == history.Count - 1)]
                    : history;
            });
            next?.Report(value);
        }
    }
}
