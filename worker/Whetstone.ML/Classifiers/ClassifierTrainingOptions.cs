using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Classifiers;

/// <summary>Settings of <see cref="ClassifierTrainer"/>.</summary>
/// <param name="HiddenSizes">Widths of the hidden layers.</param>
/// <param name="Epochs">Most passes over the training rows; early stopping may end sooner.</param>
/// <param name="BatchSize">Rows per optimizer step.</param>
/// <param name="LearningRate">AdamW learning rate.</param>
/// <param name="WeightDecay">AdamW weight decay.</param>
/// <param name="Seed">Seeds the split, the initial weights and the batch order.</param>
/// <param name="ValidationFraction">Share of each class held out for early stopping.</param>
/// <param name="TestFraction">Share of each class held out for the final accuracy.</param>
/// <param name="EarlyStopping">Stop when the validation loss (measured once per epoch) stops improving; null trains every epoch.</param>
public sealed record ClassifierTrainingOptions(
    IReadOnlyList<int> HiddenSizes,
    int Epochs = 200,
    int BatchSize = 32,
    double LearningRate = 1e-3,
    double WeightDecay = 1e-4,
    int Seed = 0,
    double ValidationFraction = 0.15,
    double TestFraction = 0.15,
    EarlyStoppingOptions? EarlyStopping = null)
{
    /// <summary>128 and 64 hidden units, early stopping after 10 epochs without a 1e-4 gain.</summary>
    public static ClassifierTrainingOptions Default { get; } = new([128, 64], EarlyStopping: new EarlyStoppingOptions(Patience: 10, MinDelta: 1e-4));

    /// <summary>Throws naming the first value out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(HiddenSizes);
        if (HiddenSizes.Any(h => h <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(HiddenSizes), "hidden sizes must all be positive");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        if (!(LearningRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "the learning rate must be positive");
        }
        EarlyStopping?.Validate();
    }
}
