namespace Whetstone.ML.Monitoring;

/// <summary>Everything the loss monitor remembers, so a resumed run decides exactly as an uninterrupted one.</summary>
/// <param name="BestTrainLoss">Lowest training loss so far, or null.</param>
/// <param name="BestValidationLoss">Lowest validation loss so far, or null.</param>
/// <param name="BestValidationStep">Step of <paramref name="BestValidationLoss"/>, or null.</param>
/// <param name="EvaluationsWithoutImprovement">Validation evaluations since the last improvement by more than minDelta.</param>
public sealed record LossMonitorState(double? BestTrainLoss, double? BestValidationLoss, long? BestValidationStep, int EvaluationsWithoutImprovement)
{
    /// <summary>The state of a run that has seen no loss yet.</summary>
    public static LossMonitorState Initial { get; } = new(null, null, null, 0);
}
