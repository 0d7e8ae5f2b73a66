using System.Globalization;
using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

/// <summary>
/// bf16/fp16 mixed-precision training of a tiny Llama model with LoRA, run on the CPU through
/// <see cref="TrainingOptions.AllowLowPrecisionOnCpu"/> (libtorch's CPU kernels do bf16 and fp16 matmuls; the CUDA path
/// is the same code with the parameters on the GPU).
/// </summary>
[Collection(TorchRandomCollection.Name)]
public sealed class MixedPrecisionTrainingTest(ITestOutputHelper output) : IDisposable
{
    private static readonly LlamaConfig Config = new()
    {
        VocabSize = 32,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 64,
        BosTokenId = 2,
        EosTokenId = 3,
        PadTokenId = 0,
    };

    private static readonly List<TrainingExample> Train = SyntheticTask.Create(64, seed: 1);
    private static readonly List<TrainingExample> Validation = SyntheticTask.Create(16, seed: 2);
    // The fp32 run both precisions are compared with, trained once for the class.
    private static readonly Lazy<Task<TrainingResult>> Fp32Reference = new(async () => (await TrainAsync(BaseOptions)).Result);
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("whetstone-mixed-precision-").FullName;

    private static TrainingOptions BaseOptions => new()
    {
        Epochs = 3,
        BatchSize = 8,
        LearningRate = 1e-2,
        LearningRateSchedule = LearningRateScheduleKind.Cosine,
        WarmupRatio = 0.05,
        EvaluateEverySteps = 4,
        CheckpointEverySteps = 0,
        EarlyStopping = null,
        Seed = 5,
    };

    private static TrainingOptions LowPrecision(TrainingPrecision precision) => BaseOptions with { Precision = precision, AllowLowPrecisionOnCpu = true };

    public void Dispose() => Directory.Delete(_checkpoints, recursive: true);

    private static LlamaForCausalLM CreateModel()
    {
        manual_seed(3);
        var model = new LlamaForCausalLM(Config);
        model.InitializeWeights(0.2);
        LoraInjector.Inject(model, new LoraOptions(Rank: 4, Alpha: 8, Dropout: 0.05, TargetModules: LoraOptions.AllLlamaProjections));
        return model;
    }

    private static Dictionary<string, float[]> Snapshot(nn.Module model)
        => model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());

    private static List<double> ValidationLosses(TrainingResult result)
        => [.. result.LossCurve.Where(p => p.ValidationLoss is not null).Select(p => p.ValidationLoss!.Value)];

    private static string Format(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));

    private static async Task<(TrainingResult Result, LlamaForCausalLM Model)> TrainAsync(TrainingOptions options, ICheckpointStore? store = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var model = CreateModel();
        var result = await new Trainer(options, store, progress).TrainAsync(model, Train, Validation, cancellationToken);
        return (result, model);
    }

    [Theory]
    [InlineData(TrainingPrecision.Bf16)]
    [InlineData(TrainingPrecision.Fp16)]
    public async Task Mixed_precision_training_lowers_the_loss_like_fp32_training_and_keeps_fp32_weights(TrainingPrecision precision)
    {
        var fp32 = await Fp32Reference.Value;
        var (mixed, model) = await TrainAsync(LowPrecision(precision));

        Assert.Equal(TrainingPrecision.Fp32, fp32.Precision);
        Assert.Equal(precision, mixed.Precision);
        Assert.Equal(TrainingStopReason.Completed, mixed.StopReason);
        var reference = ValidationLosses(fp32);
        var curve = ValidationLosses(mixed);
        output.WriteLine($"fp32 validation loss: {Format(reference)}");
        output.WriteLine($"{precision} validation loss: {Format(curve)} (skipped steps {mixed.SkippedSteps}, final loss scale {mixed.FinalLossScale})");
        Assert.True(reference[^1] < reference[0] * 0.8, $"fp32 {Format(reference)}");
        Assert.True(curve[^1] < curve[0] * 0.8, $"{precision} {Format(curve)}");
        Assert.True(Math.Abs(curve[^1] - reference[^1]) <= 0.1 * reference[^1] + 0.02, $"{precision} ends at {curve[^1]:F4}, fp32 at {reference[^1]:F4}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(model.parameters().Where(p => p.requires_grad), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));
    }

    [Theory]
    [InlineData(TrainingPrecision.Bf16)]
    [InlineData(TrainingPrecision.Fp16)]
    public async Task Low_precision_asked_for_on_the_cpu_trains_in_fp32_bit_for_bit(TrainingPrecision precision)
    {
        var options = BaseOptions with { MaxSteps = 8 };
        var (fp32, fp32Model) = await TrainAsync(options);
        var (asked, askedModel) = await TrainAsync(options with { Precision = precision });

        Assert.Equal(TrainingPrecision.Fp32, asked.Precision);
        Assert.Equal(0, asked.SkippedSteps);
        Assert.Null(asked.FinalLossScale);
        Assert.Equal(fp32.LossCurve, asked.LossCurve);
        var expected = Snapshot(fp32Model);
        foreach (var (name, values) in Snapshot(askedModel))
        {
            Assert.Equal(expected[name], values);
        }
    }

    [Fact]
    public async Task An_fp16_step_whose_gradients_overflow_is_skipped_leaving_the_weights_unchanged_and_halving_the_scale()
    {
        // 2^40 times the loss overflows fp16 (largest finite value 65504) on the way back through the model.
        var options = LowPrecision(TrainingPrecision.Fp16) with { MaxSteps = 1, LossScaling = new LossScalingOptions(InitialScale: Math.Pow(2, 40)) };
        var untouched = Snapshot(CreateModel());

        var (result, model) = await TrainAsync(options);

        Assert.Equal(1, result.Step);
        Assert.Equal(1, result.SkippedSteps);
        Assert.Equal(Math.Pow(2, 39), result.FinalLossScale);
        Assert.True(double.IsFinite(result.FinalTrainLoss!.Value), "the loss itself is finite; only the scaled gradients overflow");
        foreach (var (name, values) in Snapshot(model))
        {
            Assert.Equal(untouched[name], values);
        }
    }

    [Fact]
    public async Task An_fp16_run_backs_off_from_an_overflowing_scale_and_then_trains()
    {
        var options = LowPrecision(TrainingPrecision.Fp16) with { LossScaling = new LossScalingOptions(InitialScale: Math.Pow(2, 22)) };

        var (result, _) = await TrainAsync(options);

        var curve = ValidationLosses(result);
        output.WriteLine($"skipped {result.SkippedSteps} of {result.Step} steps, final scale 2^{Math.Log2(result.FinalLossScale!.Value)}; validation loss {Format(curve)}");
        Assert.InRange(result.SkippedSteps, 1, result.Step / 2);
        Assert.True(result.FinalLossScale < Math.Pow(2, 22));
        Assert.True(curve[^1] < curve[0] * 0.8, Format(curve));
    }

    [Fact]
    public async Task The_fp16_loss_scale_grows_after_each_growth_interval_of_good_steps()
    {
        var options = LowPrecision(TrainingPrecision.Fp16) with { MaxSteps = 7, LossScaling = new LossScalingOptions(InitialScale: 256, GrowthInterval: 2) };

        var (result, _) = await TrainAsync(options);

        Assert.Equal(0, result.SkippedSteps);
        Assert.Equal(256 * 8, result.FinalLossScale);
    }

    [Fact]
    public async Task An_fp16_run_stopped_midway_and_resumed_from_its_checkpoint_ends_exactly_as_an_uninterrupted_run()
    {
        // A scale high enough to overflow for the first steps and a short growth interval, so the scaler's state
        // at the checkpoint differs from a fresh one and decides which later steps are skipped.
        var options = LowPrecision(TrainingPrecision.Fp16) with { Epochs = 2, LossScaling = new LossScalingOptions(InitialScale: Math.Pow(2, 22), GrowthInterval: 2) };
        var (straight, straightModel) = await TrainAsync(options);

        var store = new LocalDirectoryCheckpointStore(_checkpoints);
        using var stop = new CancellationTokenSource();
        var (interrupted, _) = await TrainAsync(options, store, new InlineProgress(p =>
        {
            if (p.Step == 5)
            {
                stop.Cancel();
            }
        }), stop.Token);
        Assert.Equal(TrainingStopReason.Interrupted, interrupted.StopReason);
        Assert.NotEqual(options.LossScaling.InitialScale, interrupted.FinalLossScale);
        Assert.True(interrupted.SkippedSteps > 0);

        var (resumed, resumedModel) = await TrainAsync(options, store);

        output.WriteLine($"uninterrupted: skipped {straight.SkippedSteps}, final scale {straight.FinalLossScale}; at the checkpoint: skipped {interrupted.SkippedSteps}, scale {interrupted.FinalLossScale}");
        Assert.Equal(5, resumed.ResumedFromStep);
        Assert.Equal(TrainingPrecision.Fp16, resumed.Precision);
        Assert.Equal(straight.LossCurve, resumed.LossCurve);
        Assert.Equal(straight.SkippedSteps, resumed.SkippedSteps);
        Assert.Equal(straight.FinalLossScale, resumed.FinalLossScale);
        var expected = Snapshot(straightModel);
        foreach (var (name, values) in Snapshot(resumedModel))
        {
            Assert.Equal(expected[name], values);
        }
    }

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
