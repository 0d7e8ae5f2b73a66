namespace Whetstone.Evaluation.Classification;

/// <summary>Precision, recall and F1 of one class (0 where the denominator is 0, as scikit-learn's zero_division=0).</summary>
/// <param name="Label">The class.</param>
/// <param name="Precision">True positives over predicted positives.</param>
/// <param name="Recall">True positives over actual positives.</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Items whose true class is this one.</param>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support);
