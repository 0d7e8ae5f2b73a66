using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Training;

/// <summary>How to train (api.md: FineTuneJob hyperparameters, earlyStopping, divergence, checkpointEverySteps).</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set; ignored when <see cref="MaxSteps"/> is set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>When set, the run takes exactly this many optimizer steps (more or fewer than the epochs give).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Examples per micro-batch.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Micro-batches whose gradients add up to one optimizer step.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Shape of the learning rate after warmup.</summary>
    public LearningRateScheduleKind LearningRateSchedule { get; init; } = LearningRateScheduleKind.Cosine;

    /// <summary>Fraction of the steps spent warming up linearly, in [0, 1).</summary>
    public double WarmupRatio { get; init; }

    /// <summary>AdamW decoupled weight decay, applied to matrices only (not to biases and norm weights).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradients are clipped to this global L2 norm; 0 turns clipping off.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Longest sequence kept; longer examples are truncated.</summary>
    public int MaxSequenceLength { get; init; } = 512;

    /// <summary>Token id used for padding.</summary>
    public int PadTokenId { get; init; }

    /// <summary>
    /// Packs each training micro-batch's examples into as few rows as fit the batch's longest example, attention kept
    /// within each example (block-diagonal causal mask) and positions restarting per example, instead of padding
    /// every example to the longest (<see cref="PackingCollator"/>). The step sees the same examples and targets, so
    /// the losses are those of padding up to rounding; only the padded positions' compute is saved. Off by default;
    /// needs a <see cref="Models.LlamaForCausalLM"/> (the trainer builds the packed forward from its modules).
    /// Validation batches stay padded.
    /// </summary>
    public bool PackSequences { get; init; }

    /// <summary>Precision; anything but fp32 applies on CUDA only (see <see cref="ResolvedPrecision"/>).</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;

    /// <summary>
    /// Lets bf16/fp16 mixed precision run on the CPU too (normally it falls back to fp32 there). For tests and
    /// benchmarks of the mixed-precision path on machines without a GPU; CPU low-precision matmuls are usually slower.
    /// </summary>
    public bool AllowLowPrecisionOnCpu { get; init; }

    /// <summary>Dynamic loss scaling, used when the run trains in fp16.</summary>
    public LossScalingOptions LossScaling { get; init; } = new();

    /// <summary>Seeds torch (dropout) and the data order.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Validation loss is computed every this many optimizer steps, and after the last; 0 means only after the last.</summary>
    public int EvaluateEverySteps { get; init; } = 50;

    /// <summary>A checkpoint is written every this many optimizer steps; 0 turns periodic checkpoints off.</summary>
    public int CheckpointEverySteps { get; init; } = 200;

    /// <summary>Early stopping on validation loss; null turns it off.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; } = new();

    /// <summary>Divergence detection; null turns it off.</summary>
    public DivergenceOptions? Divergence { get; init; } = new();

    /// <summary>Throws a clear error naming the field when a value is out of range.</summary>
    public void Validate()
    {
        Require(Epochs >= 1 || MaxSteps is not null, "hyperparameters.epochs must be at least 1.");
        Require(MaxSteps is null || MaxSteps >= 1, "maxSteps must be at least 1.");
        Require(BatchSize >= 1, "hyperparameters.batchSize must be at least 1.");
        Require(GradientAccumulationSteps >= 1, "hyperparameters.gradientAccumulationSteps must be at least 1.");
        Require(WeightDecay >= 0, "hyperparameters.weightDecay must be 0 or more.");
        Require(MaxGradNorm >= 0, "hyperparameters.maxGradNorm must be 0 or more.");
        Require(MaxSequenceLength >= 2, "hyperparameters.maxSequenceLength must be at least 2.");
        Require(EvaluateEverySteps >= 0, "evaluateEverySteps must be 0 or more.");
        Require(CheckpointEverySteps >= 0, "checkpointEverySteps must be 0 or more.");
        Require(Enum.IsDefined(Precision), "hyperparameters.precision must be fp32, bf16 or fp16.");
        new LearningRateSchedule(LearningRateSchedule, LearningRate, 1, WarmupRatio).Validate();
        LossScaling.Validate();
        EarlyStopping?.Validate();
        Divergence?.Validate();
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
