using Whetstone.ML.Corpus;

namespace Whetstone.ML.Models.Pretraining;

/// <summary>
/// Multiple-choice check of the corpus facts: for each question, the option whose tokens have the highest
/// total log-likelihood after "Question: ...\nAnswer:" is the model's answer.
/// </summary>
public static class FactQuiz
{
    /// <summary>Share of <see cref="CorpusFacts.All"/> answered correctly (0 to 1).</summary>
    public static double Accuracy(LanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var correct = CorpusFacts.All.Count(fact => Answer(model, fact) == fact.Answer);
        return (double)correct / CorpusFacts.All.Count;
    }

    /// <summary>The option the model rates most likely for <paramref name="fact"/>'s question.</summary>
    public static string Answer(LanguageModel model, CorpusFact fact)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(fact);
        var options = fact.WrongAnswers.Prepend(fact.Answer).ToList();
        var scores = model.ScoreContinuations($"Question: {fact.Question}\nAnswer:", [.. options.Select(option => $" {option}.")]);
        var best = 0;
        for (var i = 1; i < options.Count; i++)
        {
            if (scores[i].Sum() > scores[best].Sum())
            {
                best = i;
            }
        }
        return options[best];
    }
}
