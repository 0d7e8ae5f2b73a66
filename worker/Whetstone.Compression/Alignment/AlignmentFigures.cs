namespace Whetstone.Compression.Alignment;

/// <summary>Original against compressed on the same records.</summary>
/// <param name="Metric">accuracy, f1 or perplexity: the metric alignment judges.</param>
/// <param name="Original">The original's value of the metric.</param>
/// <param name="Compressed">The compressed model's value.</param>
/// <param name="Drop">Absolute drop (accuracy, f1) or relative rise (perplexity); positive is worse.</param>
/// <param name="Cosine">Mean cosine similarity of the logits vectors (every position of every sequence, or every row).</param>
/// <param name="TopOneAgreement">Share of positions / rows where both models put the same token or class first.</param>
public sealed record AlignmentFigures(string Metric, double Original, double Compressed, double Drop, double Cosine, double TopOneAgreement)
{
    /// <summary>True when the drop and the cosine are within the thresholds.</summary>
    public bool IsWithin(double maxDrop, double minCosine) => Drop <= maxDrop + 1e-12 && Cosine >= minCosine;
}
