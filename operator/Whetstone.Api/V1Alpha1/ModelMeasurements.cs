namespace Whetstone.Api.V1Alpha1;

/// <summary>Size, speed and quality of one model.</summary>
public sealed record ModelMeasurements
{
    /// <summary>Size of the model files in bytes.</summary>
    public long? SizeBytes { get; set; }

    /// <summary>Parameter count (non-zero parameters after unstructured pruning).</summary>
    public long? Parameters { get; set; }

    /// <summary>Median latency of one forward pass at batch size 1, in milliseconds.</summary>
    public double? LatencyP50Ms { get; set; }

    /// <summary>Accuracy on the evaluation dataset.</summary>
    public double? Accuracy { get; set; }

    /// <summary>Perplexity on the evaluation dataset (alignment metric perplexity).</summary>
    public double? Perplexity { get; set; }

    /// <summary>Macro F1 on the evaluation dataset (alignment metric f1).</summary>
    public double? F1 { get; set; }
}
