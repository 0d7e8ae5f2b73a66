namespace Whetstone.Compression.Alignment;

/// <summary>How far one layer's output moved: the original's MatMul output against the same tensor in the compressed graph.</summary>
/// <param name="Layer">The layer (weight initializer name, or the output name of an activation product).</param>
/// <param name="Output">The compared tensor.</param>
/// <param name="Cosine">Cosine similarity of the flattened outputs over the probe inputs.</param>
/// <param name="SqnrDb">Signal-to-quantization-noise ratio in dB (higher is closer; +∞ identical).</param>
/// <param name="Compressed">True when the compressed graph computes this layer in lower precision.</param>
/// <param name="InputSqnrDb">SQNR of the layer's input (what earlier layers already lost).</param>
public sealed record LayerDifference(string Layer, string Output, double Cosine, double SqnrDb, bool Compressed, double InputSqnrDb)
{
    /// <summary>
    /// The noise this layer adds itself, as a share of the signal's power: 10^(−SQNR_out/10) − 10^(−SQNR_in/10).
    /// Differences accumulate through the network, so the output SQNR alone blames every layer after the one that
    /// broke; the relative noise power that appears across the layer points at the layer whose own quantization is
    /// bad (a layer whose input is identical and whose output is 40 dB off adds 1e-4; a broken one adds ~1).
    /// </summary>
    public double AddedNoise => NoiseShare(SqnrDb) - NoiseShare(InputSqnrDb);

    private static double NoiseShare(double sqnrDb) => double.IsPositiveInfinity(sqnrDb) ? 0 : Math.Pow(10, -sqnrDb / 10);
}
