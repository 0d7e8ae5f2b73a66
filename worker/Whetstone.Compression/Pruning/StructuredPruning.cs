using Whetstone.ML.Models;
using static TorchSharp.torch;

namespace Whetstone.Compression.Pruning;

/// <summary>What <see cref="StructuredPruner"/> produced.</summary>
/// <param name="Config">The configuration with the smaller head counts (head_dim written explicitly) and intermediate_size.</param>
/// <param name="Tensors">Every tensor of the model, pruned ones replaced, in the original order.</param>
/// <param name="KeptQueryHeads">Per layer, the original indices of the query heads kept.</param>
/// <param name="KeptChannels">Per layer, the original indices of the MLP channels kept.</param>
/// <param name="OriginalHeads">Query heads per layer before.</param>
/// <param name="OriginalKeyValueHeads">Key/value heads per layer before.</param>
/// <param name="OriginalIntermediateSize">MLP channels per layer before.</param>
public sealed record StructuredPruning(
    LlamaConfig Config,
    IReadOnlyList<(string Name, Tensor Tensor)> Tensors,
    IReadOnlyList<IReadOnlyList<int>> KeptQueryHeads,
    IReadOnlyList<IReadOnlyList<int>> KeptChannels,
    int OriginalHeads,
    int OriginalKeyValueHeads,
    int OriginalIntermediateSize);
