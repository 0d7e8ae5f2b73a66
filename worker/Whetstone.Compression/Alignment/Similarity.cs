namespace Whetstone.Compression.Alignment;

/// <summary>Closeness of two vectors, in double precision.</summary>
public static class Similarity
{
    /// <summary>Cosine similarity; 1 when both are all zeros, 0 when only one is.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a, b);
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }
        if (normA == 0 && normB == 0)
        {
            return 1;
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }

    /// <summary>Signal-to-quantization-noise ratio in dB: 10·log10(Σa² / Σ(a−b)²); +∞ when identical.</summary>
    public static double SignalToNoiseDecibels(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation)
    {
        CheckLengths(reference, approximation);
        double signal = 0, noise = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            var difference = (double)reference[i] - approximation[i];
            noise += difference * difference;
        }
        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }

    private static void CheckLengths(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"the vectors differ in length ({a.Length} and {b.Length})");
        }
    }
}
