namespace Whetstone.Evaluation.Classification;

/// <summary>
/// Accuracy, per-class precision / recall / F1, their macro, micro and weighted averages and the confusion matrix,
/// defined as scikit-learn defines them (<c>precision_recall_fscore_support</c> with <c>zero_division=0</c>,
/// <c>confusion_matrix</c>) over an explicit label set: classes in the label set that never occur (neither true nor
/// predicted) still count in the macro average with zeros, and micro averages over the label set only.
/// </summary>
/// <param name="Labels">The label set, in the order of the matrix rows and columns.</param>
/// <param name="Accuracy">Share of items predicted correctly.</param>
/// <param name="PerClass">Metrics of each label, in <paramref name="Labels"/> order.</param>
/// <param name="Macro">Unweighted mean over labels.</param>
/// <param name="Micro">From the summed true positives, predicted and actual positives over labels.</param>
/// <param name="Weighted">Mean over labels weighted by support.</param>
/// <param name="Confusion">Confusion[true, predicted] counts.</param>
public sealed record ClassificationMetrics(
    IReadOnlyList<string> Labels,
    double Accuracy,
    IReadOnlyList<ClassMetrics> PerClass,
    AveragedMetrics Macro,
    AveragedMetrics Micro,
    AveragedMetrics Weighted,
    int[,] Confusion)
{
    /// <summary>Computes every metric of <paramref name="predicted"/> against <paramref name="actual"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a value is not in <paramref name="labels"/>.</exception>
    public static ClassificationMetrics Calculate(IReadOnlyList<string> actual, IReadOnlyList<string> predicted, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(labels);
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException($"{actual.Count} true labels but {predicted.Count} predictions", nameof(predicted));
        }

        var index = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var k = labels.Count;
        var confusion = new int[k, k];
        for (var i = 0; i < actual.Count; i++)
        {
            confusion[IndexOf(index, actual[i], i), IndexOf(index, predicted[i], i)]++;
        }

        var perClass = new ClassMetrics[k];
        long truePositives = 0, predictedPositives = 0, actualPositives = 0;
        for (var c = 0; c < k; c++)
        {
            var tp = confusion[c, c];
            var predictedCount = Enumerable.Range(0, k).Sum(r => confusion[r, c]);
            var support = Enumerable.Range(0, k).Sum(col => confusion[c, col]);
            truePositives += tp;
            predictedPositives += predictedCount;
            actualPositives += support;
            var precision = Ratio(tp, predictedCount);
            var recall = Ratio(tp, support);
            perClass[c] = new ClassMetrics(labels[c], precision, recall, F1Of(precision, recall), support);
        }

        var macro = new AveragedMetrics(perClass.Average(m => m.Precision), perClass.Average(m => m.Recall), perClass.Average(m => m.F1));
        var microPrecision = Ratio(truePositives, predictedPositives);
        var microRecall = Ratio(truePositives, actualPositives);
        var micro = new AveragedMetrics(microPrecision, microRecall, F1Of(microPrecision, microRecall));
        var totalSupport = perClass.Sum(m => (double)m.Support);
        var weighted = totalSupport == 0
            ? new AveragedMetrics(0, 0, 0)
            : new AveragedMetrics(
                perClass.Sum(m => m.Precision * m.Support) / totalSupport,
                perClass.Sum(m => m.Recall * m.Support) / totalSupport,
                perClass.Sum(m => m.F1 * m.Support) / totalSupport);
        var correct = Enumerable.Range(0, actual.Count).Count(i => string.Equals(actual[i], predicted[i], StringComparison.Ordinal));
        return new ClassificationMetrics(labels, Ratio(correct, actual.Count), perClass, macro, micro, weighted, confusion);
    }

    /// <summary>The metrics of one class by name.</summary>
    public ClassMetrics For(string label) =>
        PerClass.FirstOrDefault(m => string.Equals(m.Label, label, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"no class '{label}' in the label set [{string.Join(", ", Labels)}]");

    private static int IndexOf(Dictionary<string, int> index, string label, int item) =>
        index.TryGetValue(label, out var i) ? i : throw new ArgumentException($"item {item}: label '{label}' is not in the label set");

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double F1Of(double precision, double recall) => precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}
