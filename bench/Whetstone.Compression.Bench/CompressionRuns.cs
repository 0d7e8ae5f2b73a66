using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Alignment;

namespace Whetstone.Compression.Bench;

/// <summary>One compressed model: where the pipeline wrote it and what the pipeline measured against the FP32 original.</summary>
internal sealed record CompressedModel(string Label, string Directory, CompressionOutcome Outcome, TimeSpan Elapsed);

/// <summary>
/// Creates every compressed model through <see cref="CompressionPipeline"/>, the library behind
/// <c>whetstone-worker compress</c>: the steps a CompressionJob would list, the same alignment measurement, nothing
/// done by hand. Thresholds are left open (the benchmark reports drops, it does not gate on them), so no run spends
/// time on the layer-by-layer comparison or fallback.
/// </summary>
internal sealed class CompressionRuns(BenchInputs inputs, BenchSettings settings)
{
    /// <summary>Pipelines repeated after a native libtorch failure, with the failure.</summary>
    public List<string> Retries { get; } = [];

    private static readonly DatasetSource CorpusSource = new() { Uri = "file://bench/corpus-documents" };

    /// <summary>Runs <paramref name="steps"/> on the bench Llama, aligned on the held-out texts.</summary>
    public CompressedModel Llama(string label, params CompressionStep[] steps) =>
        Run(label, inputs.Llama, inputs.LlamaEvaluation, inputs.LlamaCalibration, "perplexity", steps);

    /// <summary>Runs <paramref name="steps"/> on the digits classifier, aligned on its test rows.</summary>
    public CompressedModel Digits(string label, params CompressionStep[] steps) =>
        Run(label, inputs.Digits, inputs.DigitsEvaluation, inputs.DigitsCalibration, "accuracy", steps);

    /// <summary>A quantize step (<c>int8</c> dynamic or static min-max, or <c>fp16</c>).</summary>
    public static CompressionStep Quantize(string type, string mode = "dynamic") =>
        new() { Quantize = new QuantizeStep { Type = type, Mode = mode, CalibrationMethod = mode == "static" ? "minMax" : null } };

    /// <summary>The ONNX conversion step.</summary>
    public static CompressionStep Convert() => new() { Convert = new ConvertStep { Format = "onnx" } };

    /// <summary>A magnitude prune step, with the recovery fine-tune when <paramref name="recover"/>.</summary>
    public CompressionStep Prune(double sparsity, bool structured, bool recover) => new()
    {
        Prune = new PruneStep
        {
            Method = "magnitude",
            Sparsity = sparsity,
            Structured = structured,
            Recovery = recover ? new PruneRecovery { Dataset = CorpusSource, Steps = settings.RecoverySteps, LearningRate = 1e-3 } : null,
        },
    };

    /// <summary>A distill step into a smaller Llama student.</summary>
    public CompressionStep Distill() => new()
    {
        Distill = new DistillStep
        {
            Student = new StudentArchitecture { Layers = settings.StudentLayers, HiddenSize = settings.StudentHidden },
            Dataset = CorpusSource,
            Temperature = 2,
            Alpha = 0.5,
            Epochs = 1,
            LearningRate = 1e-3,
        },
    };

    private CompressedModel Run(string label, string source, EvaluationSet evaluation, EvaluationSet calibration, string metric, CompressionStep[] steps)
    {
        var plan = new CompressionPlan(steps, metric, MaxDrop: double.MaxValue, MinCosine: -1, Fallback: false, MaxFallbackTries: 0);
        var training = Enumerable.Range(0, steps.Length)
            .Where(i => steps[i].Distill is not null || steps[i].Prune?.Recovery is not null)
            .ToDictionary(i => i, _ => inputs.LlamaTraining);
        var pipeline = new CompressionPipeline(plan, evaluation, Path.Combine(settings.Work, "pipelines", label), new ConsoleObserver(label))
        {
            Calibration = calibration,
            TrainingData = training,
            TrainingOptions = CompressionPipeline.DefaultTrainingOptions with { MaxSequenceLength = ChildMeasurement.Sequence },
            CheckpointDirectory = Path.Combine(settings.Work, "pipelines", label, "checkpoints"),
        };
        var clock = Stopwatch.StartNew();
        CompressionOutcome outcome;
        try
        {
            outcome = pipeline.Run(source);
        }
        catch (ExternalException e)
        {
            // Seen once in a smoke run: libtorch refused the implicit alpha Scalar of a tensor addition inside the
            // prune step's side-by-side timing ("Expected false to be true" from Scalar::toFloat), where the same
            // call on the same models had just succeeded. The run is repeated once, and the retry is on record.
            Console.WriteLine($"[{label}] libtorch failed ({e.Message.Split('\n')[0]}); running the pipeline once more");
            Retries.Add($"{label}: {e.Message.Split('\n')[0]}");
            outcome = pipeline.Run(source);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{label}] {outcome.Alignment.Metric} {outcome.Alignment.Original:F4} -> {outcome.Alignment.Compressed:F4} (drop {outcome.Alignment.Drop:F4}), cosine {outcome.Alignment.Cosine:F5}, top-1 agreement {outcome.Alignment.TopOneAgreement:F4}, {clock.Elapsed.TotalSeconds:F0} s"));
        return new CompressedModel(label, outcome.ModelDirectory, outcome, clock.Elapsed);
    }

    private sealed class ConsoleObserver(string label) : ICompressionObserver
    {
        public void StepStarted(int index, string name) => Console.WriteLine($"[{label}] step {index} {name}");

        public void StepFinished(StepOutcome outcome) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{label}] step {outcome.Index} {outcome.Name} done in {outcome.Duration.TotalSeconds:F0} s: {outcome.Note}"));

        public void Say(string message) => Console.WriteLine($"[{label}] {message}");
    }
}
