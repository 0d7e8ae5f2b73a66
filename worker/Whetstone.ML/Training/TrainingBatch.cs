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

    internal TrainingBatch(Tensor inputIds, Tensor attentionMask, Tensor labels, long tokenCount, long targetCount)
    {
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

    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
