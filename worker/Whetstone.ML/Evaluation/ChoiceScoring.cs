namespace Whetstone.ML.Evaluation;

/// <summary>How the per-token log-likelihoods of a choice are combined into its score.</summary>
public enum ChoiceScoring
{
    /// <summary>
    /// Mean log-likelihood per token (reply tokens and the end token). Length-normalised, so a long choice is not
    /// penalised for having more tokens to pay for; the default. On the generated support questions (choices from
    /// "Free" to whole sentences) it scored a fine-tuned tiny model as well as or slightly better than
    /// <see cref="Sum"/> (0.57/0.53/0.53 against 0.55/0.51/0.53 over three seeds, 500 questions, 3–4 epochs).
    /// </summary>
    MeanPerToken,

    /// <summary>Total log-likelihood: the probability of the whole reply. Favours short choices.</summary>
    Sum,
}
