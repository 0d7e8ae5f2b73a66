using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Classification;

/// <summary>
/// The metrics of a classification suite: <c>accuracy</c>; <c>precision</c>, <c>recall</c>, <c>f1</c> (macro, as
/// api.md); <c>…Micro</c> and <c>…Weighted</c>; and per class <c>precision.&lt;class&gt;</c>, <c>recall.&lt;class&gt;</c>,
/// <c>f1.&lt;class&gt;</c>. Each is recomputed from the confusion of the items at the given indices.
/// </summary>
public static class ClassificationMeasurement
{
    /// <summary>Builds the suite's measurement from true and predicted labels over <paramref name="labels"/>.</summary>
    public static SuiteMeasurement From(string suite, IReadOnlyList<string> ids, IReadOnlyList<string> actual, IReadOnlyList<string> predicted, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(labels);
        // Every metric of a resample comes from the same confusion matrix: computed once per index list (by reference).
        var cache = new ConditionalWeakTable<IReadOnlyList<int>, ClassificationMetrics>();
        ClassificationMetrics At(IReadOnlyList<int> indices) => cache.GetValue(indices, ix =>
            ClassificationMetrics.Calculate(ix.Select(i => actual[i]).ToArray(), ix.Select(i => predicted[i]).ToArray(), labels));
        var correct = actual.Select((a, i) => string.Equals(a, predicted[i], StringComparison.Ordinal)).ToArray();
        var metrics = new List<MetricSeries>
        {
            new("accuracy", indices => At(indices).Accuracy, correct),
            new("precision", indices => At(indices).Macro.Precision),
            new("recall", indices => At(indices).Macro.Recall),
            new("f1", indices => At(indices).Macro.F1),
            new("precisionMicro", indices => At(indices).Micro.Precision),
            new("recallMicro", indices => At(indices).Micro.Recall),
            new("f1Micro", indices => At(indices).Micro.F1),
            new("precisionWeighted", indices => At(indices).Weighted.Precision),
            new("recallWeighted", indices => At(indices).Weighted.Recall),
            new("f1Weighted", indices => At(indices).Weighted.F1),
        };
        foreach (var label in labels)
        {
            metrics.Add(new MetricSeries("precision." + label, indices => At(indices).For(label).Precision));
            metrics.Add(new MetricSeries("recall." + label, indices => At(indices).For(label).Recall));
            metrics.Add(new MetricSeries("f1." + label, indices => At(indices).For(label).F1));
        }

        var full = At(Enumerable.Range(0, actual.Count).ToArray());
        var matrix = new JsonArray();
        for (var r = 0; r < labels.Count; r++)
        {
            matrix.Add(new JsonArray([.. Enumerable.Range(0, labels.Count).Select(c => (JsonNode)JsonValue.Create(full.Confusion[r, c]))]));
        }

        var details = new JsonObject
        {
            ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["confusion"] = matrix,
            ["perClass"] = new JsonArray([.. full.PerClass.Select(m => (JsonNode)new JsonObject
            {
                ["label"] = m.Label, ["precision"] = m.Precision, ["recall"] = m.Recall, ["f1"] = m.F1, ["support"] = m.Support,
            })]),
        };
        var records = actual.Select((a, i) => new JsonObject { ["id"] = ids[i], ["label"] = a, ["predicted"] = predicted[i] }).ToArray();
        return new SuiteMeasurement(suite, "classification", actual.Count, metrics, records, details);
    }
}
