namespace Whetstone.Compression.Alignment;

/// <summary>How far one layer's output moved: the original's MatMul output against the same tensor in the compressed graph.</summary>
/// <param name="Layer">The layer (weight initializer name, or the output name of an activation product).</param>
/// <param name="Output">The compared tensor.</param>
/// <param name="Cosine">Cosine similarity of the flattened outputs over the probe inputs.</param>
/// <param name="SqnrDb">Signal-to-quantization-noise ratio in dB (higher is closer; +∞ identical).</param>
/// <param name="Compressed">True when the compressed graph computes this layer in lower precision.</param>
public sealed record LayerDifference(string Layer, string Output, double Cosine, double SqnrDb, bool Compressed);
