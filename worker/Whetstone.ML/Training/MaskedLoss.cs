using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// The causal language-model loss over the tokens a <see cref="TrainingExample"/>'s loss mask selects: position t
/// predicts token t + 1, masked and padded positions are ignored. Training and every evaluation use this one rule.
/// </summary>
internal static class MaskedLoss
{
    /// <summary>How many target tokens the examples contribute once truncated to <paramref name="maxSequenceLength"/>.</summary>
    public static long CountTargets(IEnumerable<TrainingExample> examples, int maxSequenceLength)
    {
        long count = 0;
        foreach (var example in examples)
        {
            var kept = Math.Min(example.InputIds.Length, maxSequenceLength);
            for (var t = 1; t < kept; t++)
            {
                count += example.LossMask[t] ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>The summed cross-entropy (fp32) of the logits [batch, length, vocab] against the batch's labels.</summary>
    public static Tensor Sum(Tensor logits, TrainingBatch batch)
    {
        var length = logits.shape[1];
        var vocabulary = logits.shape[2];
        var predictions = logits.narrow(1, 0, length - 1).reshape(-1, vocabulary).to(float32);
        var labels = batch.Labels.narrow(1, 1, length - 1).reshape(-1);
        return nn.functional.cross_entropy(predictions, labels, ignore_index: TrainingBatch.IgnoreIndex, reduction: nn.Reduction.Sum);
    }
}
