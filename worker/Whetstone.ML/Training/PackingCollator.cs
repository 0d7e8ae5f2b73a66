using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// Builds packed batches: the examples of a micro-batch (each cut to <see cref="MaxSequenceLength"/>) are placed
/// first-fit, longest first, into rows as long as the batch's longest example, so short chat examples share a row
/// instead of each being padded to the longest. Each position carries its example's segment id and its position
/// within that example, from which <see cref="PackedLlamaForward"/> builds a block-diagonal causal mask and
/// restarting rotary positions: no token attends across examples, and an example's first token is never a target
/// (there is nothing of its own before it), so every example's loss equals its loss alone.
/// </summary>
/// <remarks>
/// The row length is the longest example, not <see cref="MaxSequenceLength"/>: a row never costs more than one padded
/// row would, so packing never adds positions, and attention (quadratic in the row length) stays as cheap as padding's.
/// </remarks>
/// <param name="PadTokenId">Token id written into the rest of each row (masked out).</param>
/// <param name="MaxSequenceLength">Longest example kept; longer examples are truncated, as in <see cref="PaddingCollator"/>.</param>
public sealed record PackingCollator(int PadTokenId, int MaxSequenceLength)
{
    /// <summary>Where each example goes: rows as long as the longest kept example, filled first-fit by decreasing length.</summary>
    public IReadOnlyList<PackedPlacement> Place(IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var lengths = examples.Select(e => Math.Min(e.InputIds.Length, MaxSequenceLength)).ToArray();
        var capacity = lengths.Length == 0 ? 0 : lengths.Max();
        var used = new List<int>();
        var placements = new PackedPlacement[examples.Count];
        foreach (var example in Enumerable.Range(0, examples.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i))
        {
            var row = used.FindIndex(u => u + lengths[example] <= capacity);
            if (row < 0)
            {
                row = used.Count;
                used.Add(0);
            }

            placements[example] = new PackedPlacement(example, row, used[row], lengths[example]);
            used[row] += lengths[example];
        }

        return placements;
    }

    /// <summary>Collates <paramref name="examples"/> into one packed batch on <paramref name="device"/>.</summary>
    public TrainingBatch Collate(IReadOnlyList<TrainingExample> examples, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        }

        var placements = Place(examples);
        var rows = placements.Max(p => p.Row) + 1;
        var length = placements.Max(p => p.Length);
        var ids = new long[rows * length];
        var mask = new long[rows * length];
        var labels = new long[rows * length];
        var segments = new long[rows * length];
        var positions = new long[rows * length];
        Array.Fill(ids, PadTokenId);
        Array.Fill(labels, TrainingBatch.IgnoreIndex);
        var segmentsInRow = new long[rows];
        long tokens = 0, targets = 0;
        foreach (var placement in placements)
        {
            var example = examples[placement.Example];
            var segment = ++segmentsInRow[placement.Row];
            for (var t = 0; t < placement.Length; t++)
            {
                var at = (placement.Row * length) + placement.Offset + t;
                ids[at] = example.InputIds[t];
                mask[at] = 1;
                segments[at] = segment;
                positions[at] = t;

                // An example's first token has nothing of its own before it: never a target, even mid-row.
                if (t > 0 && example.LossMask[t])
                {
                    labels[at] = example.InputIds[t];
                    targets++;
                }
            }

            tokens += placement.Length;
        }

        var shape = new long[] { rows, length };
        return new TrainingBatch(
            tensor(ids, shape, device: device),
            tensor(mask, shape, device: device),
            tensor(labels, shape, device: device),
            tokens,
            targets,
            tensor(segments, shape, device: device),
            tensor(positions, shape, device: device));
    }
}
