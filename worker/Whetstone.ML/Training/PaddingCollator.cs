using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// Builds padded batches: each example is cut to <see cref="MaxSequenceLength"/> tokens and right-padded to the
/// longest example of its batch, with an attention mask marking the real tokens. The default; sequence packing (several
/// examples per row, <see cref="PackingCollator"/>) is the <see cref="TrainingOptions.PackSequences"/> option.
/// </summary>
/// <param name="PadTokenId">Token id written into padding positions (they are masked out, so any valid id works).</param>
/// <param name="MaxSequenceLength">Longest sequence kept; longer examples are truncated (api.md: maxSequenceLength).</param>
public sealed record PaddingCollator(int PadTokenId, int MaxSequenceLength)
{
    /// <summary>Collates <paramref name="examples"/> into one batch on <paramref name="device"/>.</summary>
    public TrainingBatch Collate(IReadOnlyList<TrainingExample> examples, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        }

        var length = examples.Max(e => Math.Min(e.InputIds.Length, MaxSequenceLength));
        var ids = new long[examples.Count * length];
        var mask = new long[examples.Count * length];
        var labels = new long[examples.Count * length];
        Array.Fill(ids, PadTokenId);
        Array.Fill(labels, TrainingBatch.IgnoreIndex);
        long tokens = 0, targets = 0;
        for (var row = 0; row < examples.Count; row++)
        {
            var example = examples[row];
            var kept = Math.Min(example.InputIds.Length, MaxSequenceLength);
            for (var t = 0; t < kept; t++)
            {
                var at = (row * length) + t;
                ids[at] = example.InputIds[t];
                mask[at] = 1;
                if (example.LossMask[t])
                {
                    labels[at] = example.InputIds[t];

                    // Position 0 has no preceding token to predict it from.
                    targets += t > 0 ? 1 : 0;
                }
            }

            tokens += kept;
        }

        var shape = new long[] { examples.Count, length };
        return new TrainingBatch(
            tensor(ids, shape, device: device),
            tensor(mask, shape, device: device),
            tensor(labels, shape, device: device),
            tokens,
            targets);
    }
}
