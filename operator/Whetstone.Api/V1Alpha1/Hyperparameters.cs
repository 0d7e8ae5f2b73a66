using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Training hyperparameters.</summary>
public sealed record Hyperparameters
{
    /// <summary>The default of <see cref="Epochs"/>, the CRD default and the worker's.</summary>
    public const int DefaultEpochs = 3;

    /// <summary>The default of <see cref="BatchSize"/>, the CRD default and the worker's.</summary>
    public const int DefaultBatchSize = 8;

    /// <summary>The default of <see cref="GradientAccumulationSteps"/>, the CRD default and the worker's.</summary>
    public const int DefaultGradientAccumulationSteps = 1;

    /// <summary>The default of <see cref="LearningRate"/>, the CRD default and the worker's.</summary>
    public const double DefaultLearningRate = 2.0e-4;

    /// <summary>The default of <see cref="LrSchedule"/>, the CRD default and the worker's.</summary>
    public const string DefaultLrSchedule = LearningRateSchedules.Cosine;

    /// <summary>The default of <see cref="WarmupRatio"/>, the CRD default and the worker's.</summary>
    public const double DefaultWarmupRatio = 0.03;

    /// <summary>The default of <see cref="WeightDecay"/>, the CRD default and the worker's.</summary>
    public const double DefaultWeightDecay = 0.0;

    /// <summary>The default of <see cref="MaxGradNorm"/>, the CRD default and the worker's.</summary>
    public const double DefaultMaxGradNorm = 1.0;

    /// <summary>The default of <see cref="MaxSequenceLength"/>, the CRD default and the worker's.</summary>
    public const int DefaultMaxSequenceLength = 512;

    /// <summary>The default of <see cref="Precision"/>, the CRD default and the worker's.</summary>
    public const string DefaultPrecision = Precisions.Bf16;

    /// <summary>The default of <see cref="Seed"/>, the CRD default and the worker's.</summary>
    public const long DefaultSeed = 42;

    /// <summary>Passes over the training split.</summary>
    [Range(Minimum = 1, Maximum = 1000)]
    [DefaultValue(DefaultEpochs)]
    public int? Epochs { get; set; }

    /// <summary>Records per optimizer micro-batch.</summary>
    [Range(Minimum = 1, Maximum = 4096)]
    [DefaultValue(DefaultBatchSize)]
    public int? BatchSize { get; set; }

    /// <summary>Micro-batches accumulated before each optimizer step.</summary>
    [Range(Minimum = 1, Maximum = 1024)]
    [DefaultValue(DefaultGradientAccumulationSteps)]
    public int? GradientAccumulationSteps { get; set; }

    /// <summary>Peak learning rate.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMinimum = true)]
    [DefaultValue(DefaultLearningRate)]
    public double? LearningRate { get; set; }

    /// <summary>Learning-rate schedule after warm-up: constant, linear or cosine.</summary>
    [DefaultValue(DefaultLrSchedule)]
    [Enum(LearningRateSchedules.Constant, LearningRateSchedules.Linear, LearningRateSchedules.Cosine)]
    public string? LrSchedule { get; set; }

    /// <summary>Fraction of the total steps spent warming up linearly from 0.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMaximum = true)]
    [DefaultValue(DefaultWarmupRatio)]
    public double? WarmupRatio { get; set; }

    /// <summary>Decoupled weight decay (AdamW).</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(DefaultWeightDecay)]
    public double? WeightDecay { get; set; }

    /// <summary>Gradients are clipped to this global norm; 0 disables clipping.</summary>
    [Range(Minimum = 0)]
    [DefaultValue(DefaultMaxGradNorm)]
    public double? MaxGradNorm { get; set; }

    /// <summary>Longer records are truncated to this many tokens.</summary>
    [Range(Minimum = 8, Maximum = 131072)]
    [DefaultValue(DefaultMaxSequenceLength)]
    public int? MaxSequenceLength { get; set; }

    /// <summary>Numeric precision: fp32, bf16 or fp16 (CPU workers train in fp32 whatever is asked).</summary>
    [DefaultValue(DefaultPrecision)]
    [Enum(Precisions.Fp32, Precisions.Bf16, Precisions.Fp16)]
    public string? Precision { get; set; }

    /// <summary>Seed of initialization and data order.</summary>
    [Range(Minimum = 0)]
    [DefaultValue(DefaultSeed)]
    public long? Seed { get; set; }
}
