using Whetstone.ML.Training;

namespace Whetstone.Compression;

/// <summary>The tokenized records a training step (distill, or a prune step's recovery fine-tune) learns from.</summary>
/// <param name="Train">Examples trained on (the loss mask selects the response tokens).</param>
/// <param name="Validation">Examples the validation loss (masked cross-entropy) is measured on; may be empty.</param>
/// <param name="Source">Where the records came from, for messages.</param>
public sealed record StepTrainingData(IReadOnlyList<TrainingExample> Train, IReadOnlyList<TrainingExample> Validation, string Source);
