namespace Whetstone.ML.Evaluation;

/// <summary>Settings of <see cref="MultipleChoiceEvaluator"/>.</summary>
/// <param name="Scoring">How a choice's token log-likelihoods are combined.</param>
/// <param name="BatchSize">
/// Choice sequences scored per forward pass. Memory grows with batch × sequence length × vocabulary size (the
/// logits), so large-vocabulary models want a small batch.
/// </param>
public sealed record MultipleChoiceEvaluationOptions(ChoiceScoring Scoring = ChoiceScoring.MeanPerToken, int BatchSize = 16);
