namespace Whetstone.Compression.Alignment;

/// <summary>One model's figures on an <see cref="EvaluationSet"/>, with the raw outputs the comparison needs.</summary>
/// <param name="Task">What was measured.</param>
/// <param name="Accuracy">Multiple-choice or classification accuracy.</param>
/// <param name="F1">Classification macro F1.</param>
/// <param name="Perplexity">Text perplexity (exp of the mean next-token negative log-likelihood).</param>
/// <param name="Logits">Per sequence (language model: [positions, vocabulary] row-major) or per row (classifier).</param>
/// <param name="Width">Length of one logits vector (vocabulary or classes).</param>
public sealed record ModelEvaluation(EvaluationTask Task, double? Accuracy, double? F1, double? Perplexity, IReadOnlyList<float[]> Logits, int Width);
