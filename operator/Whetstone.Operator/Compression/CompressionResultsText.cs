using System.Globalization;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Compression;

/// <summary>CompressionJob results in words, for the status message and the Aligned condition (pure).</summary>
public static class CompressionResultsText
{
    /// <summary>
    /// <c>3.90× smaller, 2.80× faster, accuracy drop 0.007, cosine 0.9960, aligned</c>; a speedup below 1 says
    /// <c>slower</c> (never a speed gain); null when the worker wrote no figure.
    /// </summary>
    public static string? Describe(CompressionResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var parts = new List<string>();
        if (results.CompressionRatio is { } ratio)
        {
            parts.Add(Format($"{ratio:0.00}× smaller"));
        }

        if (results.Speedup is { } speedup)
        {
            parts.Add(speedup >= 1 ? Format($"{speedup:0.00}× faster") : Format($"{1 / speedup:0.00}× slower than the original"));
        }

        var alignment = Alignment(results);
        if (alignment.Length > 0)
        {
            parts.Add(alignment);
        }

        if (results.Aligned is { } aligned)
        {
            parts.Add(aligned ? "aligned" : "not aligned");
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>The alignment figures: <c>accuracy drop 0.007, cosine 0.9960</c> (empty when neither was measured).</summary>
    public static string Alignment(CompressionResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var parts = new List<string>();
        if (results.AccuracyDrop is { } drop)
        {
            parts.Add(Format($"accuracy drop {drop:0.####}"));
        }

        if (results.CosineSimilarity is { } cosine)
        {
            parts.Add(Format($"cosine {cosine:0.0000}"));
        }

        return string.Join(", ", parts);
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
