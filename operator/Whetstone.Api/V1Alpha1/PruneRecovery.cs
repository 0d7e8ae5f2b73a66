using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// A recovery fine-tune after pruning: every weight of the pruned model is trained on the dataset (unstructured
/// pruning's zeros are kept at zero), to win back what pruning lost.
/// </summary>
[CelRule("!(has(self.epochs) && has(self.steps))", Message = "set epochs or steps, not both", FieldPath = ".steps")]
public sealed record PruneRecovery
{
    /// <summary>The default of <see cref="Epochs"/> when neither epochs nor steps is set.</summary>
    public const int DefaultEpochs = 1;

    /// <summary>The default of <see cref="LearningRate"/>, the CRD default and the worker's.</summary>
    public const double DefaultLearningRate = 1.0e-4;

    /// <summary>Records to fine-tune on (the same formats as a FineTuneJob's dataset; its train and validation splits are used).</summary>
    [Required]
    public DatasetSource Dataset { get; set; } = new();

    /// <summary>Passes over the training records; omitted with steps omitted too: 1.</summary>
    [Range(Minimum = 1, Maximum = 1000)]
    public int? Epochs { get; set; }

    /// <summary>Optimizer steps to take instead of whole epochs.</summary>
    [Range(Minimum = 1, Maximum = 100000)]
    public int? Steps { get; set; }

    /// <summary>Peak learning rate.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMinimum = true)]
    [DefaultValue(DefaultLearningRate)]
    public double? LearningRate { get; set; }
}
