using static TorchSharp.torch;

namespace Whetstone.Compression.Pruning;

/// <summary>
/// Unstructured magnitude pruning: the weights with the smallest absolute value are set to zero, in place, until
/// exactly <c>round(sparsity × count)</c> of them are zero (per tensor, or over all tensors together). Ties at the
/// threshold are broken by position, so the count is exact whatever the values.
/// </summary>
public static class MagnitudePruner
{
    /// <summary>
    /// Zeroes the smallest-magnitude weights of <paramref name="weights"/> in place and returns how many of each
    /// tensor are zero afterwards. Weights that were already zero count among the smallest, so a tensor that had more
    /// zeros than asked keeps them.
    /// </summary>
    public static IReadOnlyList<TensorSparsity> Prune(IReadOnlyList<(string Name, Tensor Weight)> weights, double sparsity, PruneScope scope)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (double.IsNaN(sparsity) || sparsity < 0 || sparsity >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "sparsity must be in [0, 1)");
        }
        using var noGrad = no_grad();
        if (scope == PruneScope.PerTensor)
        {
            foreach (var (_, weight) in weights)
            {
                using var disposeScope = NewDisposeScope();
                var flat = weight.view(-1);
                ZeroSmallest(flat, flat.abs(), Count(sparsity, flat.shape[0]));
            }
        }
        else if (weights.Count > 0)
        {
            using var disposeScope = NewDisposeScope();
            var magnitudes = cat(weights.Select(w => w.Weight.detach().view(-1).abs().to(ScalarType.Float32)).ToArray(), 0);
            var k = Count(sparsity, magnitudes.shape[0]);
            var chosen = Smallest(magnitudes, k);
            var offset = 0L;
            foreach (var (_, weight) in weights)
            {
                var flat = weight.view(-1);
                var n = flat.shape[0];
                var mine = chosen.masked_select(chosen.ge(offset).logical_and(chosen.lt(offset + n))) - offset;
                flat.index_fill_(0, mine, 0);
                offset += n;
            }
        }
        return [.. weights.Select(w => new TensorSparsity(w.Name, w.Weight.numel(), CountZeros(w.Weight)))];
    }

    /// <summary>The number of weights <paramref name="sparsity"/> of <paramref name="elements"/> asks for (rounded to nearest).</summary>
    public static long Count(double sparsity, long elements) => (long)Math.Round(sparsity * elements, MidpointRounding.AwayFromZero);

    /// <summary>Weights of <paramref name="tensor"/> that are exactly zero.</summary>
    public static long CountZeros(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var zeros = tensor.eq(0).sum();
        return zeros.item<long>();
    }

    private static void ZeroSmallest(Tensor flat, Tensor magnitudes, long k)
    {
        if (k > 0)
        {
            flat.index_fill_(0, Smallest(magnitudes, k), 0);
        }
    }

    // Positions of the k smallest values; a stable sort breaks ties by position, so exactly k come back.
    private static Tensor Smallest(Tensor magnitudes, long k) =>
        k == 0 ? empty(0, ScalarType.Int64) : magnitudes.sort(stable: true).Indices.slice(0, 0, k, 1);
}
