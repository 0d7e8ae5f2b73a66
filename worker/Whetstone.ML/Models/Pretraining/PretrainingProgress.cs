namespace Whetstone.ML.Models.Pretraining;

/// <summary>State after one pre-training step.</summary>
public sealed record PretrainingProgress(int Step, int TotalSteps, double Loss, double TokensPerSecond);
