namespace Whetstone.Api;

/// <summary>Values of <c>alignment.metric</c> on a CompressionJob.</summary>
public static class AlignmentMetrics
{
    /// <summary>Task accuracy (higher is better).</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Language-model perplexity (lower is better).</summary>
    public const string Perplexity = "perplexity";

    /// <summary>Macro F1 (higher is better).</summary>
    public const string F1 = "f1";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Accuracy, Perplexity, F1];
}
