namespace Whetstone.Api;

/// <summary>Metric names an EvaluationRun reports and gates on (<c>score.&lt;category&gt;</c> is also accepted).</summary>
public static class EvaluationMetrics
{
    /// <summary>Fraction of correct answers.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Macro precision.</summary>
    public const string Precision = "precision";

    /// <summary>Macro recall.</summary>
    public const string Recall = "recall";

    /// <summary>Macro F1.</summary>
    public const string F1 = "f1";

    /// <summary>Mean average precision over IoU 0.5:0.95.</summary>
    public const string Map = "map";

    /// <summary>Mean average precision at IoU 0.5.</summary>
    public const string Map50 = "map50";

    /// <summary>Fraction of answers equal to the reference.</summary>
    public const string ExactMatch = "exactMatch";

    /// <summary>Mean subjective score in [0,1].</summary>
    public const string Score = "score";

    /// <summary>Median latency in milliseconds.</summary>
    public const string LatencyP50Ms = "latencyP50Ms";

    /// <summary>95th percentile latency in milliseconds.</summary>
    public const string LatencyP95Ms = "latencyP95Ms";

    /// <summary>99th percentile latency in milliseconds.</summary>
    public const string LatencyP99Ms = "latencyP99Ms";

    /// <summary>Completed requests per second.</summary>
    public const string ThroughputPerSecond = "throughputPerSecond";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Accuracy, Precision, Recall, F1, Map, Map50, ExactMatch, Score, LatencyP50Ms, LatencyP95Ms, LatencyP99Ms, ThroughputPerSecond];
}
