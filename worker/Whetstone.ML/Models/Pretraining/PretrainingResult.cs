namespace Whetstone.ML.Models.Pretraining;

/// <summary>
/// What a pre-training run did: the training loss of every step, and the mean loss on held-out sequences
/// before and after training (the honest measure of whether it learned).
/// </summary>
public sealed record PretrainingResult(IReadOnlyList<double> StepLosses, double HeldOutLossBefore, double HeldOutLossAfter, TimeSpan Duration);
