namespace Whetstone.Compression.Pruning;

/// <summary>How to prune.</summary>
/// <param name="Sparsity">Fraction in [0, 1): of each projection's weights (unstructured), or of the heads and MLP channels of each layer (structured).</param>
/// <param name="Structured">Remove whole heads and channels instead of zeroing single weights.</param>
/// <param name="Scope">Unstructured only: rank per tensor (the API's meaning) or over all projections together.</param>
public sealed record PruneOptions(double Sparsity, bool Structured, PruneScope Scope = PruneScope.PerTensor);
