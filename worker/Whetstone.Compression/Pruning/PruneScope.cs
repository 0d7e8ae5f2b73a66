namespace Whetstone.Compression.Pruning;

/// <summary>Where unstructured magnitude pruning ranks the weights.</summary>
public enum PruneScope
{
    /// <summary>Each tensor loses the same fraction of its own smallest weights (what <c>prune.sparsity</c> means in the API).</summary>
    PerTensor,

    /// <summary>One ranking over every pruned tensor together: the smallest weights of the whole set go, wherever they are.</summary>
    Global,
}
