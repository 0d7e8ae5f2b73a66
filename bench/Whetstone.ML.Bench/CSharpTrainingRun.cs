using System.Diagnostics;
using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Training;

namespace Whetstone.ML.Bench;

/// <summary>Measures training steps of the Llama model (full fine-tuning or LoRA) through the production <see cref="Trainer"/>.</summary>
internal static class CSharpTrainingRun
{
    /// <summary>The adapters the reference script builds too: rank 8, alpha 16, dropout 0.05 on q_proj and v_proj.</summary>
    public static LoraOptions BenchLora { get; } = new(Rank: 8, Alpha: 16, Dropout: 0.05, TargetModules: ["q_proj", "v_proj"]);

    public static async Task<BenchMeasurement> MeasureAsync(BenchModelSize size, int warmupSteps, int measuredSteps, int threads,
        bool lora, TrainingPrecision precision = TrainingPrecision.Fp32)
    {
        torch.set_num_threads(threads);
        var peak = MatmulPeakFlops();
        torch.manual_seed(1);
        var model = new LlamaForCausalLM(size.Config);
        model.InitializeWeights();
        if (lora)
        {
            LoraInjector.Inject(model, BenchLora);
        }

        var examples = RandomTokens(size, (warmupSteps + measuredSteps) * size.BatchSize);
        var options = new TrainingOptions
        {
            MaxSteps = warmupSteps + measuredSteps,
            BatchSize = size.BatchSize,
            LearningRate = 1e-4,
            LearningRateSchedule = LearningRateScheduleKind.Constant,
            WeightDecay = 0.01,
            MaxGradNorm = 1.0,
            MaxSequenceLength = size.SequenceLength,
            EvaluateEverySteps = 0,
            CheckpointEverySteps = 0,
            EarlyStopping = null,
            Divergence = null,
            // bf16 on the CPU is measured on purpose here (production falls back to fp32 on the CPU).
            Precision = precision,
            AllowLowPrecisionOnCpu = true,
        };
        var stepTimes = new List<double>();
        var clock = Stopwatch.StartNew();
        var last = 0.0;
        var progress = new InlineProgress(_ =>
        {
            var now = clock.Elapsed.TotalSeconds;
            stepTimes.Add(now - last);
            last = now;
        });
        var result = await new Trainer(options, progress: progress).TrainAsync(model, examples, [], CancellationToken.None);
        var median = Median(stepTimes.Skip(warmupSteps).ToList());
        return new BenchMeasurement(
            model.parameters().Sum(p => p.numel()),
            model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()),
            median,
            size.BatchSize * size.SequenceLength / median,
            Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
            result.FinalTrainLoss ?? double.NaN,
            peak,
            "TorchSharp (libtorch's bundled BLAS)");
    }

    /// <summary>Best float32 FLOP/s of a 2048×2048 matmul on this thread count, the same measurement the reference script makes.</summary>
    internal static double MatmulPeakFlops(int size = 2048, int repeats = 10)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(size, size);
        var b = torch.randn(size, size);
        a.matmul(b).Dispose();
        var best = double.MaxValue;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return 2.0 * size * size * size / best;
    }

    internal static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }

    private static List<TrainingExample> RandomTokens(BenchModelSize size, int count)
    {
        var random = new Random(1);
        return [.. Enumerable.Range(0, count).Select(_ => TrainingExample.AllTokens([.. Enumerable.Range(0, size.SequenceLength).Select(_ => random.Next(1, size.Config.VocabSize))]))];
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
