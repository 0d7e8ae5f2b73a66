namespace Whetstone.Api.V1Alpha1;

/// <summary>The latest training figures (written by the worker).</summary>
public sealed record TrainingMetrics
{
    /// <summary>Training loss, averaged over the last logging interval.</summary>
    public double? TrainLoss { get; set; }

    /// <summary>Loss on the validation split at the last evaluation.</summary>
    public double? ValidationLoss { get; set; }

    /// <summary>Lowest validation loss so far (the checkpoint kept as the result).</summary>
    public double? BestValidationLoss { get; set; }

    /// <summary>Step at which bestValidationLoss was reached.</summary>
    public long? BestStep { get; set; }

    /// <summary>Current learning rate.</summary>
    public double? LearningRate { get; set; }

    /// <summary>Training throughput in tokens per second.</summary>
    public double? TokensPerSecond { get; set; }
}
