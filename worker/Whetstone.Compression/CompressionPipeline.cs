using System.Diagnostics;
using System.Globalization;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Alignment;
using Whetstone.Compression.Distillation;
using Whetstone.Compression.Pruning;
using Whetstone.Compression.Quantization;
using Whetstone.Measurement;
using Whetstone.ML.Training;
using Whetstone.ModelRuntime;
using Whetstone.Onnx;

namespace Whetstone.Compression;

/// <summary>
/// Runs a <see cref="CompressionPlan"/> on a model directory: each step feeds the next and is measured against the
/// original right after it (size, parameters, latency, metric, cosine). When the end result breaks the alignment
/// thresholds, the original and compressed graphs are compared layer by layer; with fallback, the worst compressed
/// layer is kept in FP32 and the steps from the quantize step on run again, until aligned or out of tries.
/// The work directory is scratch: each run clears it, except the training checkpoints (so training steps resume).
/// </summary>
public sealed partial class CompressionPipeline(CompressionPlan plan, EvaluationSet evaluation, string workDirectory, ICompressionObserver observer)
{
    /// <summary>The forward pass timed for latency (language models): this many tokens, batch 1.</summary>
    public const int LatencyTokens = 32;

    private static readonly MeasurementOptions LatencyOptions = new(WarmupRuns: 10, Runs: 50);
    private readonly List<StepOutcome> _steps = [];
    private readonly Dictionary<string, string> _exports = new(StringComparer.Ordinal);
    private ModelEvaluation? _originalEvaluation;
    private ModelFigures? _original;
    private ModelFigures? _originalOnnx;
    private string? _originalOnnxDirectory;
    private string? _sourceDirectory;
    private string? _layerBaselineDirectory;
    private int _runCounter;

    /// <summary>Records static quantization calibrates activation ranges on (required by a static quantize step).</summary>
    public EvaluationSet? Calibration { get; init; }

    /// <summary>Runs every step on <paramref name="sourceDirectory"/> (a whetstone or an ONNX model directory).</summary>
    public CompressionOutcome Run(string sourceDirectory, CancellationToken cancellationToken = default)
    {
        if (plan.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
        if (Calibration is null && plan.Steps.Any(s => s.Quantize?.Mode == "static"))
        {
            throw new ArgumentException("spec.calibrationDataset: static quantization needs calibration records");
        }
        if (CheckTrainingSteps(sourceDirectory) is { Count: > 0 } trainingProblems)
        {
            throw new ArgumentException(string.Join("; ", trainingProblems));
        }
        ClearWorkDirectory(sourceDirectory);
        this._sourceDirectory = sourceDirectory;
        (_original, _originalEvaluation) = Measure(sourceDirectory, cancellationToken);
        observer.Say(string.Create(CultureInfo.InvariantCulture, $"original: {_original.SizeBytes:N0} bytes, {_original.Parameters:N0} parameters, P50 {_original.LatencyP50Ms:F2} ms ({_original.Backend}), {Describe(_original)} on {evaluation.Count} records"));
        if (IsOnnx(sourceDirectory))
        {
            _originalOnnxDirectory = sourceDirectory;
        }

        var result = RunSteps(sourceDirectory, 0, QuantizationOptions.Default, cancellationToken);
        var aligned = result.Alignment.IsWithin(plan.MaxDrop, plan.MinCosine);
        IReadOnlyList<LayerDifference> layers = [];
        IReadOnlyList<LayerDifference> finalLayers = [];
        var tries = new List<FallbackTry>();
        var kept = new List<string>();
        if (!aligned && IsOnnx(result.Directory) && LayerBaseline() is { } baseline)
        {
            layers = CompareLayers(baseline, result.Directory);
            observer.Say("not aligned; worst layers: " + DescribeLayers(layers, 3));
            var quantizeIndex = LastQuantizeIndex();
            var current = layers;
            while (plan.Fallback && quantizeIndex is { } index && tries.Count < plan.MaxFallbackTries && !aligned)
            {
                var worst = current.Where(l => l.Compressed && !kept.Contains(l.Layer)).OrderByDescending(l => l.AddedNoise).FirstOrDefault();
                if (worst is null)
                {
                    observer.Say("fallback: no compressed layer left to keep in FP32");
                    break;
                }
                kept.Add(worst.Layer);
                observer.Say(string.Create(CultureInfo.InvariantCulture, $"fallback try {tries.Count + 1}: keeping {worst.Layer} in FP32 (it adds noise {worst.AddedNoise:G3} of the signal power itself)"));
                var options = kept.Aggregate(QuantizationOptions.Default, (o, layer) => o.Keeping(layer));
                _steps.RemoveAll(s => s.Index >= index);
                result = RunSteps(_steps.LastOrDefault(s => s.Index == index - 1)?.Directory ?? sourceDirectory, index, options, cancellationToken);
                aligned = result.Alignment.IsWithin(plan.MaxDrop, plan.MinCosine);
                tries.Add(new FallbackTry(tries.Count + 1, [.. kept], result.Alignment, aligned));
                current = CompareLayers(baseline, result.Directory);
            }
            finalLayers = current;
        }

        OriginalOnnx();
        return new CompressionOutcome(result.Directory, result.Format, evaluation.Task, evaluation.Count, _original, _originalOnnx, result.Figures, result.Alignment,
            plan.MaxDrop, plan.MinCosine, aligned, [.. _steps.OrderBy(s => s.Index)], layers, finalLayers, tries, kept);
    }

    private StepOutcome RunSteps(string input, int from, QuantizationOptions fallbackOptions, CancellationToken cancellationToken)
    {
        var current = input;
        StepOutcome? last = null;
        for (var i = from; i < plan.Steps.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = plan.Steps[i];
            var name = StepName(step);
            observer.StepStarted(i, name);
            var clock = Stopwatch.StartNew();
            var output = Path.Combine(workDirectory, string.Create(CultureInfo.InvariantCulture, $"run{++_runCounter}-step{i}-{name}"));
            PruneSummary? pruned = null;
            DistillationSummary? distilled = null;
            TrainingResult? recovered = null;
            var note = step switch
            {
                { Prune: { } prune } => Prune(current, output, prune, i, cancellationToken, out pruned, out recovered),
                { Distill: { } distill } => Distill(current, output, distill, i, cancellationToken, out distilled),
                { Quantize: { } quantize } => Quantize(current, output, quantize, fallbackOptions),
                { Convert: { } convert } => Convert(current, output, convert),
                _ => throw new InvalidOperationException($"spec.steps[{i}]: {name} is not implemented"),
            };
            ModelFigures figures;
            AlignmentFigures alignment;
            if (!Directory.Exists(output) && last is not null)
            {
                // A no-op step: the model is the previous step's, already measured.
                (output, figures, alignment) = (current, last.Figures, last.Alignment);
            }
            else
            {
                output = Directory.Exists(output) ? output : current;
                var (measuredFigures, measured) = Measure(output, cancellationToken);
                (figures, alignment) = (measuredFigures, Compare(measured));
            }
            IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
            if (pruned is not null)
            {
                var before = last?.Figures ?? _original!;
                (note, metrics) = (pruned.Describe(before, figures) + (note is { Length: > 0 } recovery && recovered is not null ? "; " + recovery : ""),
                    WithRecovery(pruned.Metrics(before, figures), recovered));
                // The API counts non-zero parameters after unstructured pruning (the zeros are still stored: the
                // size and speed figures, and the note, say that nothing was gained there).
                figures = figures with { Parameters = pruned.NonZeroParameters };
            }
            if (distilled is not null)
            {
                metrics = distilled.Metrics();
            }
            last = new StepOutcome(i, name, note, clock.Elapsed, output, IsOnnx(output) ? "onnx" : "whetstone", figures, alignment) { Metrics = metrics };
            _steps.Add(last);
            observer.StepFinished(last);
            observer.Say(string.Create(CultureInfo.InvariantCulture, $"step {i} {name}: {note}; {figures.SizeBytes:N0} bytes, P50 {figures.LatencyP50Ms:F2} ms, {alignment.Metric} {alignment.Compressed:F4} (drop {alignment.Drop:F4}), cosine {alignment.Cosine:F5}"));
            current = output;
        }
        return last ?? throw new InvalidOperationException("no steps ran");
    }

    private string Prune(string input, string output, PruneStep step, int index, CancellationToken cancellationToken, out PruneSummary summary, out TrainingResult? recovered)
    {
        recovered = null;
        if (IsOnnx(input))
        {
            throw new ArgumentException($"spec.steps[{index}].prune: the model is an ONNX graph here; prune steps must come before quantize and convert");
        }
        if (ModelLoader.ReadModelType(input) is { } type && type != "llama")
        {
            throw new ArgumentException($"spec.steps[{index}].prune: pruning works on Llama language models; this model's model_type is '{type}'");
        }
        summary = LlamaPruner.Prune(input, output, new PruneOptions(step.Sparsity ?? 0, step.Structured ?? false));
        summary = summary with { Speed = PruneSpeed.Compare(input, output) };
        return step.Recovery is { } recovery ? Recover(output, recovery, index, cancellationToken, out recovered) ?? "" : "pruned";
    }

    private string Quantize(string input, string output, QuantizeStep step, QuantizationOptions fallbackOptions)
    {
        _layerBaselineDirectory = IsOnnx(input) ? input : ExportOnce(input);
        var prefix = "";
        var onnxInput = input;
        if (!IsOnnx(input))
        {
            onnxInput = ExportOnce(input);
            prefix = "the model was not ONNX, so its ONNX export (FP32, opset 17) was quantized; ";
        }
        var options = fallbackOptions with
        {
            Exclude = [.. (step.Exclude ?? []), .. fallbackOptions.Exclude],
            PerChannel = step.PerChannel ?? true,
            QuantizeEmbeddings = step.QuantizeEmbeddings ?? true,
        };
        var model = OnnxModels.Load(onnxInput);
        var rewritten = step.Type == "fp16" ? Fp16WeightConverter.Convert(model, options)
            : step.Mode == "static" ? Int8StaticQuantizer.Quantize(model, options, CalibrateRanges(onnxInput, step))
            : Int8DynamicQuantizer.Quantize(model, options);
        OnnxModels.Save(rewritten.Model, output, onnxInput);
        var excluded = rewritten.Excluded.Count > 0 ? $"; kept FP32: {string.Join(", ", rewritten.Excluded)}" : "";
        return prefix + rewritten.Notes + excluded;
    }

    private IReadOnlyDictionary<string, (float Min, float Max)> CalibrateRanges(string onnxInput, QuantizeStep step)
    {
        var method = step.CalibrationMethod == "percentile" ? CalibrationMethod.Percentile : CalibrationMethod.MinMax;
        var ranges = ActivationRanges.Collect(onnxInput, Calibration!, method, Path.Combine(workDirectory, "calibration-" + (++_runCounter).ToString(CultureInfo.InvariantCulture)));
        observer.Say($"calibrated {ranges.Count} activation ranges ({method}) on {Calibration!.Count} records of {Calibration.Source}");
        return ranges;
    }

    private string Convert(string input, string output, ConvertStep step)
    {
        if (IsOnnx(input))
        {
            return "no-op: the model is already ONNX (a quantize step before it worked on the ONNX export)";
        }
        OnnxExporter.Export(input, output, new OnnxExportOptions(Opset: step.Opset ?? 17));
        if (input == _sourceDirectory)
        {
            _originalOnnxDirectory ??= output;
        }
        return string.Create(CultureInfo.InvariantCulture, $"exported to ONNX (opset {step.Opset ?? 17}) by the model runtime's exporter");
    }

    // Fallback re-runs the quantize step on the same input: the export is made once per input directory.
    private string ExportOnce(string input)
    {
        if (_exports.TryGetValue(input, out var existing))
        {
            return existing;
        }
        var output = Path.Combine(workDirectory, "export-" + _exports.Count.ToString(CultureInfo.InvariantCulture));
        OnnxExporter.Export(input, output);
        _exports[input] = output;
        if (input == _sourceDirectory)
        {
            _originalOnnxDirectory ??= output;
        }
        return output;
    }

    // The graph the layer-by-layer comparison reads the uncompressed layer outputs from: the quantize step's FP32
    // input. That is the original's export unless a prune step changed the model before it (structured pruning
    // changes the shapes, so the original's layers would not even line up).
    private string? LayerBaseline() => _layerBaselineDirectory ?? OriginalOnnx();

    // The original as ONNX FP32, the fair speed baseline for an ONNX result; exported from the source when the steps
    // only exported a pruned model.
    private string? OriginalOnnx()
    {
        if (_originalOnnxDirectory is null && _steps.Any(s => s.Format == "onnx") && _sourceDirectory is not null && !IsOnnx(_sourceDirectory))
        {
            _originalOnnxDirectory = ExportOnce(_sourceDirectory);
        }
        if (_originalOnnxDirectory is not null && _originalOnnx is null)
        {
            (_originalOnnx, _) = Measure(_originalOnnxDirectory, CancellationToken.None);
        }
        return _originalOnnxDirectory;
    }

    private IReadOnlyList<LayerDifference> CompareLayers(string baseline, string compressed) =>
        LayerComparison.Compare(baseline, compressed, evaluation, Path.Combine(workDirectory, "probe-" + (++_runCounter).ToString(CultureInfo.InvariantCulture)));

    private int? LastQuantizeIndex()
    {
        for (var i = plan.Steps.Count - 1; i >= 0; i--)
        {
            if (plan.Steps[i].Quantize is not null)
            {
                return i;
            }
        }
        return null;
    }

    private AlignmentFigures Compare(ModelEvaluation measured) =>
        plan.Metric == "f1" && measured.Task == EvaluationTask.Classification
            ? AlignmentEvaluator.CompareF1(_originalEvaluation!, measured)
            : AlignmentEvaluator.Compare(_originalEvaluation!, measured);

    /// <summary>Loads <paramref name="directory"/>, evaluates it and times a forward pass.</summary>
    private (ModelFigures Figures, ModelEvaluation Evaluation) Measure(string directory, CancellationToken cancellationToken)
    {
        using var runner = ModelLoader.Load(directory, new RuntimeOptions { Threads = 1 });
        var measured = AlignmentEvaluator.Evaluate(runner, evaluation, cancellationToken);
        var latency = MeasureLatency(runner);
        var description = runner.Description;
        var figures = new ModelFigures(description.WeightBytes, CountParameters(directory, description), latency.P50Ms, latency.P99Ms, description.Backend.ToString(),
            measured.Accuracy, measured.Perplexity, measured.F1);
        return (figures, measured);
    }

    private static LatencySummary MeasureLatency(IModelRunner runner)
    {
        Func<RunOutcome> call = runner switch
        {
            ILanguageModelRunner language => () => ForwardTokens(language),
            IClassifierRunner classifier => () => ForwardRow(classifier),
            _ => throw new InvalidOperationException($"no latency probe for {runner.Description.Kind}"),
        };
        return new Harness().Measure("forward", LatencyOptions, call, runner.Description.WeightBytes, runner.Description.Threads).Latency;
    }

    private static RunOutcome ForwardTokens(ILanguageModelRunner language)
    {
        IReadOnlyList<long> ids = [.. Enumerable.Range(0, LatencyTokens).Select(i => (long)(3 + i % Math.Max(1, language.VocabularySize - 3)))];
        language.ComputeLogits([ids], batchSize: 1);
        return new RunOutcome(1, LatencyTokens);
    }

    private static RunOutcome ForwardRow(IClassifierRunner classifier)
    {
        classifier.Score([new float[classifier.InputSize]], batchSize: 1);
        return new RunOutcome(1);
    }

    // Weights counted once: an ONNX graph's quantization scales and zero points are bookkeeping, not parameters.
    private static long CountParameters(string directory, ModelDescription description)
    {
        if (!IsOnnx(directory))
        {
            return description.Parameters;
        }
        var model = OnnxModels.Load(directory);
        return model.Graph.Initializer
            .Where(t => !t.Name.EndsWith("_scale", StringComparison.Ordinal) && !t.Name.EndsWith("_zero_point", StringComparison.Ordinal))
            .Sum(OnnxModels.ElementCount);
    }

    private static bool IsOnnx(string directory) => File.Exists(Path.Combine(directory, OnnxModelFiles.ModelFileName));

    private static string StepName(CompressionStep step) =>
        step.Prune is not null ? "prune" : step.Distill is not null ? "distill" : step.Quantize is not null ? "quantize" : "convert";

    private static string Describe(ModelFigures figures) =>
        figures.Perplexity is { } perplexity ? string.Create(CultureInfo.InvariantCulture, $"perplexity {perplexity:F3}")
        : string.Create(CultureInfo.InvariantCulture, $"accuracy {figures.Accuracy:F4}");

    /// <summary>The <paramref name="count"/> compressed layers that add the most noise themselves, with their figures.</summary>
    public static string DescribeLayers(IReadOnlyList<LayerDifference> layers, int count)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return string.Join(", ", layers.Where(l => l.Compressed).OrderByDescending(l => l.AddedNoise).Take(count)
            .Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Layer} (output cosine {l.Cosine:F4}, SQNR {l.SqnrDb:F1} dB, added noise {l.AddedNoise:G3})")));
    }
}
