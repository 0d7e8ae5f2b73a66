using Whetstone.ML.Models;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.Compression.Pruning;

/// <summary>
/// The recovery fine-tune after pruning: every weight of the pruned model is trained (full fine-tune) through the
/// shared <see cref="Trainer"/> on the masked cross-entropy; the decoder projections' zeros (unstructured pruning's)
/// are multiplied back to zero after every update, so the sparsity the step reports still holds afterwards.
/// The model directory is rewritten in place.
/// </summary>
public static class RecoveryFineTuner
{
    /// <summary>
    /// Fine-tunes the model in <paramref name="directory"/> and saves it there. Cancellation writes a checkpoint (when
    /// a store is given) and throws <see cref="OperationCanceledException"/>; divergence throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static TrainingResult Recover(string directory, StepTrainingData data, TrainingOptions options, string field, ICheckpointStore? checkpoints = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        using var model = LlamaCheckpoint.Load(directory);
        var masks = model.named_parameters()
            .Where(p => LlamaPruner.IsProjection(p.name))
            .Select(p => (Weight: (Tensor)p.parameter, Mask: p.parameter.ne(0).to(p.parameter.dtype)))
            .ToList();
        try
        {
            var trainer = new Trainer(options with { PackSequences = false }, checkpoints, progress)
            {
                AfterUpdate = () =>
                {
                    foreach (var (weight, mask) in masks)
                    {
                        weight.mul_(mask);
                    }
                },
            };
            var result = trainer.TrainAsync(model, data.Train, data.Validation, cancellationToken).GetAwaiter().GetResult();
            switch (result.StopReason)
            {
                case TrainingStopReason.Interrupted:
                    throw new OperationCanceledException($"{field}: {result.Message}", cancellationToken);
                case TrainingStopReason.Diverged:
                    throw new InvalidOperationException($"{field}: the recovery fine-tune diverged: {result.Message}");
                default:
                    break;
            }
            LlamaCheckpoint.Save(model, directory);
            return result;
        }
        finally
        {
            foreach (var (_, mask) in masks)
            {
                mask.Dispose();
            }
        }
    }
}
