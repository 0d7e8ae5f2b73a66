using System.Text.Json.Nodes;

namespace Whetstone.Evaluation.Scoring;

/// <summary>Everything one model measured on one suite.</summary>
/// <param name="Suite">Suite name.</param>
/// <param name="Type">Suite type (multipleChoice, classification, ...).</param>
/// <param name="Items">Items scored.</param>
/// <param name="Metrics">The metrics, in report order.</param>
/// <param name="ItemRecords">One JSON object per item for the per-item JSONL (ids, answers, log-likelihoods).</param>
/// <param name="Details">Suite-specific results for the report (confusion matrix, per-subject table).</param>
public sealed record SuiteMeasurement(string Suite, string Type, int Items, IReadOnlyList<MetricSeries> Metrics, IReadOnlyList<JsonObject> ItemRecords, JsonObject Details)
{
    /// <summary>The metric called <paramref name="name"/>, or null.</summary>
    public MetricSeries? Find(string name) => Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));
}
