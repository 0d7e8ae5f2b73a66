using System.Text;

namespace Whetstone.Evaluation.Generation;

/// <summary>
/// Exact match and token-level F1 of a generated answer against a reference, as the SQuAD evaluation defines them:
/// both texts are lower-cased, punctuation is removed, the articles a / an / the are dropped and whitespace is
/// collapsed; F1 counts shared tokens with multiplicity. Two empty texts match (EM 1, F1 1); one empty gives 0.
/// </summary>
public static class TextMatch
{
    private static readonly HashSet<string> Articles = ["a", "an", "the"];

    /// <summary>The normalised tokens of <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new StringBuilder(text.Length);
        foreach (var ch in text.ToLowerInvariant())
        {
            if (!char.IsPunctuation(ch) && !char.IsSymbol(ch))
            {
                kept.Append(ch);
            }
        }

        return kept.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(t => !Articles.Contains(t)).ToArray();
    }

    /// <summary>1 when the normalised texts are equal, else 0.</summary>
    public static double ExactMatch(string prediction, string reference) =>
        Tokens(prediction).SequenceEqual(Tokens(reference), StringComparer.Ordinal) ? 1 : 0;

    /// <summary>Harmonic mean of token precision and recall (shared tokens counted with multiplicity).</summary>
    public static double TokenF1(string prediction, string reference)
    {
        var predicted = Tokens(prediction);
        var expected = Tokens(reference);
        if (predicted.Count == 0 || expected.Count == 0)
        {
            return predicted.Count == expected.Count ? 1 : 0;
        }

        var counts = expected.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var shared = 0;
        foreach (var token in predicted)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                shared++;
            }
        }

        if (shared == 0)
        {
            return 0;
        }

        var precision = (double)shared / predicted.Count;
        var recall = (double)shared / expected.Count;
        return 2 * precision * recall / (precision + recall);
    }
}
