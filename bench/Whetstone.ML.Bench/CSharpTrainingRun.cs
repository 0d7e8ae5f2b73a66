using System.Diagnostics;
using TorchSharp;
using Whetstone.ML.Models;
using Whetstone.ML.Training;

namespace Whetstone.ML.Bench;

/// <summary>Measures full fine-tuning steps of the Llama model through the production <see cref="Trainer"/>.</summary>
internal static class CSharpTrainingRun
{
    public static async Task<BenchMeasurement> MeasureAsync(BenchModelSize size, int warmupSteps, int measuredSteps, int threads, TrainingPrecision precision = TrainingPrecision.Fp32)
    {
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        var model = new LlamaForCausalLM(size.Config);
        model.InitializeWeights();
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
            median,
            size.BatchSize * size.SequenceLength / median,
            Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,
            result.FinalTrainLoss ?? double.NaN);
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
