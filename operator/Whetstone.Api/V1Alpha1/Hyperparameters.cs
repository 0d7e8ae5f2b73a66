using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Training hyperparameters.</summary>
public sealed record Hyperparameters
{
    /// <summary>Passes over the training split.</summary>
    [Range(Minimum = 1, Maximum = 1000)]
    [DefaultValue(3)]
    public int? Epochs { get; set; }

    /// <summary>Records per optimizer micro-batch.</summary>
    [Range(Minimum = 1, Maximum = 4096)]
    [DefaultValue(8)]
    public int? BatchSize { get; set; }

    /// <summary>Micro-batches accumulated before each optimizer step.</summary>
    [Range(Minimum = 1, Maximum = 1024)]
    [DefaultValue(1)]
    public int? GradientAccumulationSteps { get; set; }

    /// <summary>Peak learning rate.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMinimum = true)]
    [DefaultValue(2.0e-4)]
    public double? LearningRate { get; set; }

    /// <summary>Learning-rate schedule after warm-up: constant, linear or cosine.</summary>
    [DefaultValue(LearningRateSchedules.Cosine)]
    [Enum(LearningRateSchedules.Constant, LearningRateSchedules.Linear, LearningRateSchedules.Cosine)]
    public string? LrSchedule { get; set; }

    /// <summary>Fraction of the total steps spent warming up linearly from 0.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMaximum = true)]
    [DefaultValue(0.03)]
    public double? WarmupRatio { get; set; }

    /// <summary>Decoupled weight decay (AdamW).</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.0)]
    public double? WeightDecay { get; set; }

    /// <summary>Gradients are clipped to this global norm; 0 disables clipping.</summary>
    [Range(Minimum = 0)]
    [DefaultValue(1.0)]
    public double? MaxGradNorm { get; set; }

    /// <summary>Longer records are truncated to this many tokens.</summary>
    [Range(Minimum = 8, Maximum = 131072)]
    [DefaultValue(512)]
    public int? MaxSequenceLength { get; set; }

    /// <summary>Numeric precision: fp32, bf16 or fp16 (CPU workers train in fp32 whatever is asked).</summary>
    [DefaultValue(Precisions.Bf16)]
    [Enum(Precisions.Fp32, Precisions.Bf16, Precisions.Fp16)]
    public string? Precision { get; set; }

    /// <summary>Seed of initialization and data order.</summary>
    [Range(Minimum = 0)]
    [DefaultValue(42)]
    public long? Seed { get; set; }
}
