using Whetstone.Compression.Alignment;

namespace Whetstone.Compression;

/// <summary>One fallback try: the layers kept in FP32 so far and the alignment that gave.</summary>
/// <param name="Try">1 for the first fallback try.</param>
/// <param name="KeptInFloat">Layers kept in FP32 in this try (cumulative).</param>
/// <param name="Alignment">The result against the original.</param>
/// <param name="Aligned">Within the thresholds.</param>
public sealed record FallbackTry(int Try, IReadOnlyList<string> KeptInFloat, AlignmentFigures Alignment, bool Aligned);
