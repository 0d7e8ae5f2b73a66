namespace Whetstone.Evaluation.Classification;

/// <summary>
/// The predicted class from one score per class (logits of a classifier, or log-likelihoods of each label's text
/// for a language model): the arg-max, and on a tie the class that comes first in the label set, so a model that
/// cannot tell classes apart is never lucky and the choice repeats on every machine.
/// </summary>
public static class LabelChoice
{
    /// <summary>Index of the highest score; the lowest index among equal highest scores.</summary>
    public static int ArgMax(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            throw new ArgumentException("no scores to choose from", nameof(scores));
        }

        var best = 0;
        for (var i = 1; i < scores.Count; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
