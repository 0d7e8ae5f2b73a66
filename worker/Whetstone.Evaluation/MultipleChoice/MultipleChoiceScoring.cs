namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>Which answer the suite's <c>accuracy</c> metric counts.</summary>
public enum MultipleChoiceScoring
{
    /// <summary>Highest mean log-likelihood per token (acc_norm); the default, as the finetune command's test accuracy.</summary>
    LengthNormalized,

    /// <summary>Highest summed log-likelihood (acc).</summary>
    Sum,
}
