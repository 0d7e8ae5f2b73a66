using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.ML.Lora;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Training;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// The pure mapping from a FineTuneJob spec to the trainer's options: every omitted field takes the Api's default
/// (the same constant the CRD's default is written from), every name is the Api's.
/// </summary>
internal static class FineTuneTrainingOptions
{
    /// <summary>Modules that get adapters when <c>spec.method.lora.targetModules</c> is omitted.</summary>
    public static IReadOnlyList<string> DefaultTargetModules { get; } = ["q_proj", "v_proj"];

    /// <summary>Whether the spec asks for a LoRA adapter (the default) rather than full fine-tuning.</summary>
    public static bool IsLora(FineTuneJobSpec spec) => !string.Equals(spec.Method?.Type, FineTuneMethods.Full, StringComparison.Ordinal);

    /// <summary>The spec's method as the Api names it.</summary>
    public static string MethodName(FineTuneJobSpec spec) => IsLora(spec) ? FineTuneMethods.LoRA : FineTuneMethods.Full;

    /// <summary>The training options for <paramref name="trainCount"/> training examples with this tokenizer's pad id.</summary>
    public static TrainingOptions Calculate(FineTuneJobSpec spec, int padTokenId, int trainCount)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var h = spec.Hyperparameters ?? new Hyperparameters();
        var options = new TrainingOptions
        {
            Epochs = h.Epochs ?? Hyperparameters.DefaultEpochs,
            BatchSize = h.BatchSize ?? Hyperparameters.DefaultBatchSize,
            GradientAccumulationSteps = h.GradientAccumulationSteps ?? Hyperparameters.DefaultGradientAccumulationSteps,
            LearningRate = h.LearningRate ?? Hyperparameters.DefaultLearningRate,
            LearningRateSchedule = (h.LrSchedule ?? Hyperparameters.DefaultLrSchedule) switch
            {
                LearningRateSchedules.Constant => LearningRateScheduleKind.Constant,
                LearningRateSchedules.Linear => LearningRateScheduleKind.Linear,
                _ => LearningRateScheduleKind.Cosine,
            },
            WarmupRatio = h.WarmupRatio ?? Hyperparameters.DefaultWarmupRatio,
            WeightDecay = h.WeightDecay ?? Hyperparameters.DefaultWeightDecay,
            MaxGradNorm = h.MaxGradNorm ?? Hyperparameters.DefaultMaxGradNorm,
            MaxSequenceLength = h.MaxSequenceLength ?? Hyperparameters.DefaultMaxSequenceLength,
            Precision = (h.Precision ?? Hyperparameters.DefaultPrecision) switch
            {
                Precisions.Fp32 => TrainingPrecision.Fp32,
                Precisions.Fp16 => TrainingPrecision.Fp16,
                _ => TrainingPrecision.Bf16,
            },
            Seed = (int)((h.Seed ?? Hyperparameters.DefaultSeed) % int.MaxValue),
            PadTokenId = padTokenId,
            CheckpointEverySteps = spec.CheckpointEverySteps ?? FineTuneJobSpec.DefaultCheckpointEverySteps,
            EarlyStopping = new EarlyStoppingOptions(spec.EarlyStopping?.Patience ?? EarlyStopping.DefaultPatience, spec.EarlyStopping?.MinDelta ?? EarlyStopping.DefaultMinDelta),
            Divergence = new DivergenceOptions(spec.Divergence?.MaxLossIncrease ?? Divergence.DefaultMaxLossIncrease),
            // Several short examples share a row, attention kept within each: the same examples per step and the same
            // losses as padding (within 1e-6), with fewer positions computed (1.48× the tokens/s on the shipped chat
            // data; bench/Whetstone.ML.Bench). The worker always trains a LlamaForCausalLM, which packing needs.
            PackSequences = true,
        };

        // About ten validation passes per run: enough points for the curve and for early stopping.
        var total = TrainingPlan.Create(trainCount, options).TotalSteps;
        return options with { EvaluateEverySteps = (int)Math.Max(1, total / 10) };
    }

    /// <summary>The adapter options of a LoRA spec.</summary>
    public static LoraOptions CalculateLora(FineTuneJobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var lora = spec.Method?.Lora ?? new LoraConfig();
        var targets = lora.TargetModules is { Count: > 0 } named ? [.. named] : DefaultTargetModules;
        return new LoraOptions(lora.Rank ?? LoraConfig.DefaultRank, lora.Alpha ?? LoraConfig.DefaultAlpha, lora.Dropout ?? LoraConfig.DefaultDropout, targets);
    }

    /// <summary>
    /// The pricing of the spec's GPUs: <c>spec.cost.gpuHourPrice</c> (0: not priced), <c>spec.resources.gpu</c>'s
    /// product (<c>nvidia-a100</c> when omitted) and count (0: a CPU run).
    /// </summary>
    public static TrainingCostOptions CalculateCost(FineTuneJobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new TrainingCostOptions(spec.Cost?.GpuHourPrice ?? 0, spec.Resources?.Gpu?.Product ?? "nvidia-a100", spec.Resources?.Gpu?.Count ?? 0);
    }
}
