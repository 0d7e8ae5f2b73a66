namespace Whetstone.Evaluation.Bench;

/// <summary>One model at one batch size on the multiple-choice suite.</summary>
/// <param name="Model">demo or bench.</param>
/// <param name="Parameters">The model's parameter count.</param>
/// <param name="BatchSize">Continuations per forward pass (1: one at a time).</param>
/// <param name="Items">Questions scored (4 choices each).</param>
/// <param name="Seconds">Wall-clock time of the scoring call (warm-up excluded).</param>
/// <param name="MaxLogLikelihoodDifference">Largest |Δ| of a choice's summed log-likelihood against the first batch size's run.</param>
/// <param name="Accuracy">acc_norm of the run (equal across batch sizes when the log-likelihoods are).</param>
internal sealed record MultipleChoiceFigures(string Model, long Parameters, int BatchSize, int Items, double Seconds, double MaxLogLikelihoodDifference, double Accuracy)
{
    public double ItemsPerSecond => Items / Seconds;
}
