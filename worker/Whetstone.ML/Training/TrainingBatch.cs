using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// A padded batch on a device: input ids and attention mask [batch, length] (int64), and labels [batch, length]
/// holding the token id where that token is a loss target and <see cref="IgnoreIndex"/> elsewhere (prompt and padding).
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    /// <summary>The label value cross-entropy ignores.</summary>
    public const long IgnoreIndex = -100;

    internal TrainingBatch(Tensor inputIds, Tensor attentionMask, Tensor labels, long tokenCount, long targetCount,
        Tensor? segmentIds = null, Tensor? positionIds = null)
    {
        SegmentIds = segmentIds;
        PositionIds = positionIds;
        InputIds = inputIds;
        AttentionMask = attentionMask;
        Labels = labels;
        TokenCount = tokenCount;
        TargetCount = targetCount;
    }

    /// <summary>Token ids, padding filled with the pad id.</summary>
    public Tensor InputIds { get; }

    /// <summary>1 for real tokens, 0 for padding.</summary>
    public Tensor AttentionMask { get; }

    /// <summary>Target token ids at target positions, <see cref="IgnoreIndex"/> elsewhere (not yet shifted).</summary>
    public Tensor Labels { get; }

    /// <summary>Real (non-padding) tokens in the batch.</summary>
    public long TokenCount { get; }

    /// <summary>Tokens that are predicted and count towards the loss (targets after the first position).</summary>
    public long TargetCount { get; }

    /// <summary>
    /// For a packed batch (<see cref="PackingCollator"/>): which example of its row each position belongs to,
    /// 1, 2, … per row, 0 for padding [batch, length] (int64); null for a padded batch.
    /// </summary>
    public Tensor? SegmentIds { get; }

    /// <summary>For a packed batch: each token's position within its own example [batch, length] (int64); null for a padded batch.</summary>
    public Tensor? PositionIds { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        SegmentIds?.Dispose();
        PositionIds?.Dispose();
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
