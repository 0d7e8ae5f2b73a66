using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>The latest training figures (written by the worker).</summary>
public sealed record TrainingMetrics
{
    /// <summary>Training loss, averaged over the last logging interval.</summary>
    public double? TrainLoss { get; set; }

    /// <summary>Loss on the validation split at the last evaluation.</summary>
    public double? ValidationLoss { get; set; }

    /// <summary>
    /// Loss of the base model on the same validation split, measured before training started; compared with
    /// validationLoss it shows what fine-tuning changed.
    /// </summary>
    public double? BaseValidationLoss { get; set; }

    /// <summary>Lowest validation loss so far (the checkpoint kept as the result).</summary>
    public double? BestValidationLoss { get; set; }

    /// <summary>Step at which bestValidationLoss was reached.</summary>
    public long? BestStep { get; set; }

    /// <summary>Current learning rate.</summary>
    public double? LearningRate { get; set; }

    /// <summary>Training throughput in tokens per second.</summary>
    public double? TokensPerSecond { get; set; }

    /// <summary>
    /// Multiple-choice accuracy of the fine-tuned model on the held-out test split (0 to 1): the share of questions
    /// whose correct choice has the highest mean per-token log-likelihood as the assistant's answer. Set for
    /// multipleChoice datasets once training has finished.
    /// </summary>
    [Range(Minimum = 0, Maximum = 1)]
    public double? TestAccuracy { get; set; }

    /// <summary>
    /// The same multiple-choice accuracy for the base model before fine-tuning, on the same test split (0 to 1);
    /// testAccuracy minus baseTestAccuracy is what fine-tuning gained.
    /// </summary>
    [Range(Minimum = 0, Maximum = 1)]
    public double? BaseTestAccuracy { get; set; }
}
