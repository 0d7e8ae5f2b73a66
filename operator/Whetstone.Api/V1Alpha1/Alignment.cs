using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// Precision alignment: how close the compressed model must stay to the original on evaluationDataset. The job
/// fails with AlignmentFailed beyond these thresholds.
/// </summary>
public sealed record Alignment
{
    /// <summary>Task metric compared: accuracy, perplexity or f1.</summary>
    [DefaultValue(AlignmentMetrics.Accuracy)]
    [Enum(AlignmentMetrics.Accuracy, AlignmentMetrics.Perplexity, AlignmentMetrics.F1)]
    public string? Metric { get; set; }

    /// <summary>Largest allowed absolute drop of the metric (for perplexity: relative rise).</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.02)]
    public double? MaxAccuracyDrop { get; set; }

    /// <summary>Smallest allowed cosine similarity between the original's and the compressed model's logits, averaged.</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.99)]
    public double? MinCosineSimilarity { get; set; }

    /// <summary>
    /// What to do when the thresholds are broken: fail (the job fails AlignmentFailed, the model is still published,
    /// marked unaligned) or fallback (keep the worst layer in FP32, measure again, repeat up to maxFallbackTries).
    /// </summary>
    [DefaultValue(AlignmentFailurePolicies.Fail)]
    [Enum(AlignmentFailurePolicies.Fail, AlignmentFailurePolicies.Fallback)]
    public string? OnFailure { get; set; }

    /// <summary>Bound on fallback tries (layers kept in FP32 one at a time).</summary>
    [Range(Minimum = 1, Maximum = 64)]
    [DefaultValue(4)]
    public int? MaxFallbackTries { get; set; }
}
