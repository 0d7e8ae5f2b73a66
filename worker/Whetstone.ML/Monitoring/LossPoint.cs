namespace Whetstone.ML.Monitoring;

/// <summary>
/// One point of a loss curve: the optimizer step it was measured at, the training loss of that step and,
/// when validation ran at that step, the validation loss.
/// </summary>
/// <param name="Step">Optimizer step (1-based) the point belongs to.</param>
/// <param name="TrainLoss">Mean training loss over the tokens of that step, or null when only validation ran.</param>
/// <param name="ValidationLoss">Mean validation loss, or null when validation did not run at that step.</param>
public sealed record LossPoint(long Step, double? TrainLoss, double? ValidationLoss);
