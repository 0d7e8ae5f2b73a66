using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Compression;
using Whetstone.Compression.Alignment;
using Whetstone.Compression.Reporting;
using Whetstone.Datasets;
using Whetstone.ML.Models;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>
/// One attempt of a CompressionJob: check the spec, resolve the source model and the evaluation data, run the steps
/// through <see cref="CompressionPipeline"/> (alignment after every step, layer comparison and fallback at the end),
/// then store the model, the JSON and Markdown reports, the chart and a manifest under
/// <c>&lt;output&gt;/&lt;uid&gt;/g&lt;generation&gt;/</c>. An unaligned model is stored too, marked so, and the run
/// then fails with <see cref="ConditionReasons.AlignmentFailed"/>.
/// </summary>
internal sealed class CompressRun(WorkerJobContext<CompressionJob> context, StatusReporter<CompressionJobStatus> status, Action<string> say)
{
    /// <summary>Evaluation records used for alignment (the first ones of the file, the same for both models).</summary>
    public const int MaxEvaluationRecords = 200;

    private readonly CompressionJobSpec _spec = context.Job.Spec;
    private readonly JobInputs _inputs = new(context, say);

    public async Task<CompressionOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var plan = BuildPlan();
        if (plan.Validate() is { Count: > 0 } problems)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, string.Join("; ", problems));
        }
        var outputUri = ArtifactUris.Resolve(_spec.Output?.Uri ?? throw new JobFailureException(ConditionReasons.OutputNotWritable, "spec.output.uri is required"), context.TaskDirectory);
        using var output = _inputs.OpenOutput(outputUri, ConditionReasons.OutputNotWritable);
        var jobPrefix = context.OutputPrefix;

        // Held until the process ends: a previous attempt still writing its SIGTERM checkpoint finishes first.
        using var attemptLock = await AttemptLock.AcquireForJobAsync(context, outputUri, say, cancellationToken).ConfigureAwait(false);
        await JobLeftovers.RemoveAsync(output, outputUri, context, say, cancellationToken).ConfigureAwait(false);

        var (sourceUri, sourceDigest, fineTuneJob) = await ResolveSourceAsync(cancellationToken).ConfigureAwait(false);
        var (sourceDirectory, fetchedDigest) = await _inputs.FetchModelAsync(sourceUri, sourceDigest, "spec.sourceModel", "spec.sourceModel.digest", ConditionReasons.SourceNotFound, cancellationToken).ConfigureAwait(false);
        var training = new TrainingStepInputs(context, _inputs, say);
        var studentModels = await training.FetchStudentModelsAsync(plan.Steps, cancellationToken).ConfigureAwait(false);
        if (CompressionPipeline.CheckStudents(plan, sourceDirectory, studentModels) is { Count: > 0 } studentProblems)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, string.Join("; ", studentProblems));
        }
        var evaluation = await ReadEvaluationAsync(fineTuneJob, cancellationToken).ConfigureAwait(false);
        say($"source model {sourceUri}; evaluation {evaluation.Source}: {evaluation.Count} {evaluation.Task} records");
        var calibration = await ReadCalibrationAsync(evaluation, cancellationToken).ConfigureAwait(false);

        var trainingData = await training.PrepareAsync(plan.Steps, sourceDirectory, cancellationToken).ConfigureAwait(false);
        var observer = new StatusObserver(status, plan.Steps, say);
        var checkpoints = await CompressCheckpoints.OpenAsync(context, outputUri, output, plan.Steps, fetchedDigest, trainingData, say, cancellationToken).ConfigureAwait(false);
        CompressionOutcome outcome;
        try
        {
            outcome = new CompressionPipeline(plan, evaluation, Path.Combine(context.WorkDirectory, "steps"), observer)
            {
                Calibration = calibration,
                TrainingData = trainingData,
                StudentModels = studentModels,
                CheckpointDirectory = Path.Combine(context.WorkDirectory, "checkpoints"),
                CheckpointStores = checkpoints.StoreFor,
            }.Run(sourceDirectory, cancellationToken);
        }
        catch (Exception error) when (error is ModelFormatException or InvalidDataException)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, error.Message, error);
        }
        finally
        {
            // Every committed checkpoint reaches the output before the process exits, a SIGTERM's included.
            await checkpoints.SyncAsync().ConfigureAwait(false);
        }

        await StoreOutputsAsync(output, jobPrefix, outcome, sourceUri, cancellationToken).ConfigureAwait(false);
        status.Update(s =>
        {
            s.Results = ToResults(outcome);
            s.Message = Summary(outcome);
        });
        say(Summary(outcome));
        return outcome;
    }

    private CompressionPlan BuildPlan()
    {
        var alignment = _spec.Alignment ?? new Api.V1Alpha1.Alignment();
        return new CompressionPlan(
            [.. _spec.Steps],
            alignment.Metric ?? AlignmentMetrics.Accuracy,
            alignment.MaxAccuracyDrop ?? 0.02,
            alignment.MinCosineSimilarity ?? 0.99,
            alignment.OnFailure == AlignmentFailurePolicies.Fallback,
            alignment.MaxFallbackTries ?? 4);
    }

    /// <summary>The results block, and the human summary, that status and the termination message carry.</summary>
    public static CompressionResults ToResults(CompressionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new CompressionResults
        {
            Original = Measurements(outcome.Original),
            Compressed = Measurements(outcome.Compressed),
            CompressionRatio = Math.Round(outcome.CompressionRatio, 3),
            Speedup = Math.Round(outcome.Speedup, 3),
            AccuracyDrop = Math.Round(outcome.Alignment.Drop, 5),
            CosineSimilarity = Math.Round(outcome.Alignment.Cosine, 6),
            TopOneAgreement = Math.Round(outcome.Alignment.TopOneAgreement, 5),
            Metric = outcome.Alignment.Metric,
            Aligned = outcome.Aligned,
            LayersKeptInFloat = outcome.KeptInFloat.Count > 0 ? [.. outcome.KeptInFloat] : null,
            Slower = outcome.IsSlower,
        };
    }

    public static string Summary(CompressionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Alignment.Metric} {outcome.Alignment.Original:F4} -> {outcome.Alignment.Compressed:F4} (drop {outcome.Alignment.Drop:F4}, max {outcome.MaxDrop:F4}), cosine {outcome.Alignment.Cosine:F5} (min {outcome.MinCosine:F4}), {outcome.CompressionRatio:F2}x smaller, speedup {outcome.Speedup:F2}x{(outcome.IsSlower ? " (SLOWER than the original)" : "")}");
        var kept = outcome.KeptInFloat.Count > 0 ? $"; kept in FP32 by fallback ({outcome.Tries.Count} tries): {string.Join(", ", outcome.KeptInFloat)}" : "";
        return outcome.Aligned
            ? $"aligned: {figures}{kept}"
            : $"not aligned: {figures}; worst layers: {CompressionPipeline.DescribeLayers(outcome.FinalLayers.Count > 0 ? outcome.FinalLayers : outcome.Layers, 3)}{kept}; the model is published marked unaligned";
    }

    private static ModelMeasurements Measurements(ModelFigures figures) => new()
    {
        SizeBytes = figures.SizeBytes,
        Parameters = figures.Parameters,
        LatencyP50Ms = Math.Round(figures.LatencyP50Ms, 4),
        Accuracy = figures.Accuracy,
        Perplexity = figures.Perplexity,
        F1 = figures.F1,
    };

    private async Task<(string Uri, string? Digest, FineTuneJob? Job)> ResolveSourceAsync(CancellationToken cancellationToken)
    {
        var source = _spec.SourceModel;
        const string field = "spec.sourceModel";
        var set = (source.Uri is null ? 0 : 1) + (source.FineTuneJobRef is null ? 0 : 1) + (source.CompressionJobRef is null ? 0 : 1);
        if (set != 1)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}: exactly one of uri, fineTuneJobRef or compressionJobRef must be set");
        }
        if (source.Uri is { } uri)
        {
            return (ArtifactUris.Resolve(uri, context.TaskDirectory), source.Digest, null);
        }
        if (source.CompressionJobRef is { } compression)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}.compressionJobRef ({compression.Name}): compressing a compressed model is not supported; name its source instead");
        }
        var job = await ReadFineTuneJobAsync(source.FineTuneJobRef!.Name, field, cancellationToken).ConfigureAwait(false);
        if (job.Status?.Artifacts?.Model is not { Uri: { Length: > 0 } modelUri } model)
        {
            throw new JobFailureException(ConditionReasons.ModelInvalid, $"{field}.fineTuneJobRef: FineTuneJob {job.Metadata.Name} has no status.artifacts.model");
        }
        if (source.Digest is { } pin && model.Digest is { } digest && pin != digest)
        {
            throw new JobFailureException(ConditionReasons.DigestMismatch, $"{field}.digest pins {pin}, but FineTuneJob {job.Metadata.Name} recorded {digest}");
        }
        return (modelUri, model.Digest, job);
    }

    private Task<FineTuneJob> ReadFineTuneJobAsync(string name, string field, CancellationToken cancellationToken) =>
        JobReferences.GetSucceededAsync<FineTuneJob>(context, new JobReference(Kinds.FineTuneJob, Plurals.FineTuneJobs, name, field + ".fineTuneJobRef"), job => job.Status?.Phase, ReferenceFailureReasons.Default, cancellationToken);

    private async Task<EvaluationSet> ReadEvaluationAsync(FineTuneJob? sourceJob, CancellationToken cancellationToken)
    {
        const string field = "spec.evaluationDataset";
        var source = _spec.EvaluationDataset;
        string uri;
        if (source?.Uri is { } given)
        {
            uri = ArtifactUris.Resolve(given, context.TaskDirectory);
        }
        else
        {
            var job = source?.FineTuneJobRef is { } reference
                ? await ReadFineTuneJobAsync(reference.Name, field, cancellationToken).ConfigureAwait(false)
                : sourceJob ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: required unless spec.sourceModel is a fineTuneJobRef (whose test split is used)");
            var split = source?.Split ?? DatasetSplits.Test;
            var artifacts = job.Status?.Artifacts;
            var stored = split == DatasetSplits.Test ? artifacts?.TestSplit : null;
            uri = stored?.Uri ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: FineTuneJob {job.Metadata.Name} has no stored {split} split (status.artifacts.testSplit); only its test split can be used");
        }
        var path = await _inputs.LocalFileAsync(uri, field, ConditionReasons.SourceNotFound, cancellationToken).ConfigureAwait(false);
        DatasetFormat? format = source?.Format is { } name ? ParseFormat(name, field) : null;
        try
        {
            return EvaluationSet.Read(path, format, MaxEvaluationRecords);
        }
        catch (Exception error) when (error is InvalidDataException or DatasetFormatException or IOException)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
    }

    /// <summary>
    /// The calibration records of a static quantize step (<c>spec.calibrationDataset</c>, a uri), refused when any of
    /// them is also an evaluation record: calibrating on the data alignment judges would flatter the result.
    /// </summary>
    private async Task<EvaluationSet?> ReadCalibrationAsync(EvaluationSet evaluation, CancellationToken cancellationToken)
    {
        const string field = "spec.calibrationDataset";
        if (!_spec.Steps.Any(s => s.Quantize?.Mode == QuantizationModes.Static))
        {
            return null;
        }
        var source = _spec.CalibrationDataset ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: static quantization needs calibration records");
        var uri = source.Uri is { } given
            ? ArtifactUris.Resolve(given, context.TaskDirectory)
            : throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}.uri: only a uri is supported for calibration data");
        var path = await _inputs.LocalFileAsync(uri, field, ConditionReasons.SourceNotFound, cancellationToken).ConfigureAwait(false);
        EvaluationSet calibration;
        try
        {
            calibration = EvaluationSet.Read(path, source.Format is { } name ? ParseFormat(name, field) : null, MaxEvaluationRecords);
        }
        catch (Exception error) when (error is InvalidDataException or DatasetFormatException or IOException)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
        var judged = evaluation.Keys().ToHashSet(StringComparer.Ordinal);
        var overlap = calibration.Keys().Count(judged.Contains);
        if (overlap > 0)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {overlap} of its records are also in spec.evaluationDataset; calibrate on training or validation data, never on the records alignment judges");
        }
        say($"calibration {calibration.Source}: {calibration.Count} records");
        return calibration;
    }

    private static DatasetFormat ParseFormat(string name, string field) => name switch
    {
        DatasetFormats.MultipleChoice => DatasetFormat.MultipleChoice,
        DatasetFormats.Chat => DatasetFormat.Chat,
        DatasetFormats.Text => DatasetFormat.Text,
        DatasetFormats.Instruction => DatasetFormat.Instruction,
        DatasetFormats.Classification or DatasetFormats.Csv => DatasetFormat.Classification,
        _ => throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}.format: '{name}' cannot be used for alignment"),
    };

    private async Task StoreOutputsAsync(IArtifactStore output, string jobPrefix, CompressionOutcome outcome, string sourceUri, CancellationToken cancellationToken)
    {
        var outputs = new JobOutputs(output, jobPrefix, say);
        if (await outputs.ReadPublishedAsync(cancellationToken).ConfigureAwait(false) is { } published)
        {
            var earlier = JobOutputs.ArtifactsOf<CompressionArtifacts>(published);
            status.Update(s => s.Artifacts = earlier);
            say($"outputs of generation {context.Generation} were already published under {outputs.Uri} by an earlier attempt; keeping them");
            return;
        }

        var title = context.Job.Metadata.Name ?? "compression";
        var staging = Path.Combine(context.WorkDirectory, "outputs");
        Directory.CreateDirectory(staging);
        var chart = Path.Combine(staging, "report.png");
        CompressionReport.WriteChart(outcome, chart, title);
        var artifacts = new CompressionArtifacts { Generation = context.Generation };
        artifacts.Report = await outputs.PutTextAsync("report.json", CompressionReport.ToJson(outcome, title), "application/json", cancellationToken).ConfigureAwait(false);
        artifacts.ReportMarkdown = await outputs.PutTextAsync("report.md", CompressionReport.ToMarkdown(outcome, title), "text/markdown", cancellationToken).ConfigureAwait(false);
        artifacts.Chart = await outputs.PutFileAsync("report.png", chart, "image/png", cancellationToken).ConfigureAwait(false);
        var provenance = new ModelProvenance(
            Format: outcome.Format,
            Producer: new ModelProducer(Kinds.CompressionJob, context.Job.Metadata.NamespaceProperty, title, context.JobUid),
            Parameters: new Dictionary<string, JsonNode?>
            {
                ["aligned"] = outcome.Aligned,
                ["steps"] = string.Join(",", outcome.Steps.Select(s => s.Name)),
                ["keptInFloat"] = string.Join(",", outcome.KeptInFloat),
            });
        artifacts.Model = await outputs.PutModelAsync("model", outcome.ModelDirectory, provenance, cancellationToken).ConfigureAwait(false);
        await outputs.PublishAsync(Kinds.CompressionJob, context, new JsonObject
        {
            ["sourceModel"] = sourceUri,
            ["aligned"] = outcome.Aligned,
            ["summary"] = Summary(outcome),
            ["artifacts"] = JsonNode.Parse(KubernetesJson.Serialize(artifacts)),
        }, cancellationToken).ConfigureAwait(false);
        status.Update(s => s.Artifacts = artifacts);
    }
}
