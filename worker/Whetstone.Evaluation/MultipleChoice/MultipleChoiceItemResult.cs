namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>How one model answered one question.</summary>
/// <param name="Item">The question.</param>
/// <param name="LogLikelihoods">Summed log-likelihood of each choice's tokens (its text and the end token).</param>
/// <param name="TokenCounts">Tokens in each choice's continuation.</param>
/// <param name="Predicted">Choice with the highest summed log-likelihood (acc); the first on a tie.</param>
/// <param name="PredictedNormalized">Choice with the highest mean log-likelihood per token (acc_norm); the first on a tie.</param>
public sealed record MultipleChoiceItemResult(MultipleChoiceItem Item, IReadOnlyList<double> LogLikelihoods, IReadOnlyList<int> TokenCounts, int Predicted, int PredictedNormalized)
{
    /// <summary>True when the raw choice is the answer.</summary>
    public bool Correct => Predicted == Item.Answer;

    /// <summary>True when the length-normalised choice is the answer.</summary>
    public bool CorrectNormalized => PredictedNormalized == Item.Answer;
}
