using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>The original and the compressed model side by side, and whether they are aligned.</summary>
public sealed record CompressionResults
{
    /// <summary>The source model.</summary>
    public ModelMeasurements? Original { get; set; }

    /// <summary>The compressed model.</summary>
    public ModelMeasurements? Compressed { get; set; }

    /// <summary>original.sizeBytes / compressed.sizeBytes.</summary>
    public double? CompressionRatio { get; set; }

    /// <summary>original.latencyP50Ms / compressed.latencyP50Ms.</summary>
    public double? Speedup { get; set; }

    /// <summary>original.accuracy − compressed.accuracy (absolute).</summary>
    public double? AccuracyDrop { get; set; }

    /// <summary>Cosine similarity of the two models' logits, averaged over the evaluation dataset.</summary>
    public double? CosineSimilarity { get; set; }

    /// <summary>True when accuracyDrop and cosineSimilarity are within the alignment thresholds.</summary>
    public bool? Aligned { get; set; }

    /// <summary>Share of positions (language model) or rows (classifier) where both models rank the same token or class first.</summary>
    public double? TopOneAgreement { get; set; }

    /// <summary>The metric alignment judged: accuracy, f1 or perplexity (text data).</summary>
    public string? Metric { get; set; }

    /// <summary>Layers alignment's fallback kept in FP32.</summary>
    [Items(Max = 64)]
    public IList<string>? LayersKeptInFloat { get; set; }

    /// <summary>The compressed model is slower than the original (speedup below 1): reported, never counted as a gain.</summary>
    public bool? Slower { get; set; }
}
