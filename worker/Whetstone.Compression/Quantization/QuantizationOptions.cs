namespace Whetstone.Compression.Quantization;

/// <summary>How a graph is quantized.</summary>
/// <param name="Exclude">Glob patterns over layer (weight initializer) and node names whose layers stay FP32.</param>
/// <param name="PerChannel">One weight scale per output channel (true) or one per tensor.</param>
/// <param name="QuantizeEmbeddings">
/// Store Gather (embedding) tables as int8 with one scale per row, dequantized in the graph before the lookup
/// (weight-only: a table lookup has no integer kernel to gain speed from, only size). On by default because the
/// tied embedding is the largest single tensor of a small language model (15 % of tiny-llama's weights) and leaving
/// it FP32 caps the size ratio at about 2.8x; measured cosine with it quantized: see the project README.
/// </param>
public sealed record QuantizationOptions(IReadOnlyList<string> Exclude, bool PerChannel = true, bool QuantizeEmbeddings = true)
{
    /// <summary>No exclusions, per-channel weights, embeddings quantized weight-only.</summary>
    public static QuantizationOptions Default { get; } = new([]);

    /// <summary>The same options with <paramref name="layer"/> kept in FP32 too.</summary>
    public QuantizationOptions Keeping(string layer) => this with { Exclude = [.. Exclude, layer] };
}
