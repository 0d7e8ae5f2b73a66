namespace Whetstone.ML.Classifiers;

/// <summary>How well a classifier labels a set of rows.</summary>
/// <param name="Rows">Rows scored.</param>
/// <param name="Accuracy">Share of rows whose highest logit is their class.</param>
/// <param name="Loss">Mean cross-entropy.</param>
/// <param name="Recall">Per class (in label order): share of that class's rows labelled correctly; NaN when the class has no rows.</param>
public sealed record ClassifierEvaluation(int Rows, double Accuracy, double Loss, IReadOnlyList<double> Recall)
{
    /// <summary>Scores logits against true classes.</summary>
    public static ClassifierEvaluation FromLogits(IReadOnlyList<float[]> logits, IReadOnlyList<int> classes, int classCount)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(classes);
        if (logits.Count != classes.Count || logits.Count == 0)
        {
            throw new ArgumentException($"{logits.Count} rows of logits for {classes.Count} classes; both must match and be non-empty", nameof(logits));
        }
        var hits = new int[classCount];
        var totals = new int[classCount];
        var loss = 0.0;
        for (var i = 0; i < logits.Count; i++)
        {
            var row = logits[i];
            var predicted = Array.IndexOf(row, row.Max());
            var max = row.Max();
            var logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            loss += logSum - row[classes[i]];
            totals[classes[i]]++;
            if (predicted == classes[i])
            {
                hits[classes[i]]++;
            }
        }
        return new ClassifierEvaluation(
            logits.Count,
            (double)hits.Sum() / logits.Count,
            loss / logits.Count,
            Enumerable.Range(0, classCount).Select(c => totals[c] == 0 ? double.NaN : (double)hits[c] / totals[c]).ToList());
    }
}
