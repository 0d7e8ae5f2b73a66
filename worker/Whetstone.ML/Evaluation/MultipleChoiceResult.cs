namespace Whetstone.ML.Evaluation;

/// <summary>What a multiple-choice evaluation measured.</summary>
/// <param name="Correct">Questions whose best-scored choice was the correct one.</param>
/// <param name="Total">Questions asked.</param>
/// <param name="Predictions">The chosen index for each question, in order.</param>
public sealed record MultipleChoiceResult(int Correct, int Total, IReadOnlyList<int> Predictions)
{
    /// <summary>Share of questions answered correctly (0 to 1; 0 when there were none).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;
}
