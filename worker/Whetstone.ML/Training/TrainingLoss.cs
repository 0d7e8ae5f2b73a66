using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// A training objective: from the model's logits [batch, length, vocab] and the batch (its labels mark the targets,
/// position t predicting token t + 1 as in <see cref="TrainingBatch.Labels"/>), the loss summed over the batch's
/// targets as an fp32 scalar. The trainer divides by the step's target count, as it does for the cross-entropy.
/// </summary>
public delegate Tensor TrainingLoss(Tensor logits, TrainingBatch batch);
