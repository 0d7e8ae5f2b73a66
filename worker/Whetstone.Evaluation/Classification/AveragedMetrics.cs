namespace Whetstone.Evaluation.Classification;

/// <summary>Precision, recall and F1 averaged over classes one way (macro, micro or weighted).</summary>
public sealed record AveragedMetrics(double Precision, double Recall, double F1);
