using Whetstone.ML.Models;

namespace Whetstone.ML.Bench;

/// <summary>
/// Training FLOPs per token for the model FLOPs utilization figure (the PaLM appendix B convention).
/// N is the matmul parameters (every projection and the output layer; the embedding is a lookup and norms are
/// vectors, so neither counts). Full fine-tuning: 6·N (forward 2·N, input gradients 2·N, weight gradients 2·N)
/// plus 12·L·d·T for attention (scores and weighted sum, forward and backward, counted without the causal half).
/// LoRA: the frozen weights need no weight gradient, so 4·N for them, 6·N_adapter for the adapters, plus the same
/// attention term. Both sides of the comparison are charged the same FLOPs, so the ratio of MFUs equals the ratio
/// of tokens/s.
/// </summary>
internal static class TrainingFlops
{
    /// <summary>Parameters that take part in matmuls (projections and the output layer).</summary>
    public static long MatmulParameters(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long hidden = config.HiddenSize;
        long keyValue = (long)(config.NumKeyValueHeads ?? config.NumAttentionHeads) * config.AttentionHeadDim;
        var attention = (2 * hidden * hidden) + (2 * hidden * keyValue);
        var mlp = 3 * hidden * config.IntermediateSize;
        return (config.NumHiddenLayers * (attention + mlp)) + ((long)config.VocabSize * hidden);
    }

    /// <summary>FLOPs of one training token at <paramref name="sequenceLength"/>; <paramref name="adapterParameters"/> is 0 for full fine-tuning.</summary>
    public static double PerToken(LlamaConfig config, int sequenceLength, bool lora, long adapterParameters)
    {
        ArgumentNullException.ThrowIfNull(config);
        var attention = 12.0 * config.NumHiddenLayers * config.HiddenSize * sequenceLength;
        var weights = MatmulParameters(config);
        return lora ? (4.0 * weights) + (6.0 * adapterParameters) + attention : (6.0 * weights) + attention;
    }
}
