using System.Text;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// How rubric terms are found in an answer. Both texts are normalised: lower-cased (invariant culture), typographic
/// apostrophes and quotes made plain, every run of whitespace made one space, trimmed. A term matches where it occurs
/// in the normalised answer as whole words: when the term starts (ends) with a letter or digit, the character before
/// (after) it must not be one, so <c>no</c> does not match inside <c>know</c> while <c>$5.99</c> matches in
/// <c>costs $5.99.</c>.
/// </summary>
public static class RubricText
{
    /// <summary>The normalised form of <paramref name="text"/>.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var raw in text)
        {
            var ch = raw switch
            {
                '\u2018' or '\u2019' or '\u02BC' => '\'',
                '\u201C' or '\u201D' => '"',
                _ => char.ToLowerInvariant(raw),
            };
            if (char.IsWhiteSpace(ch))
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(ch);
        }

        return result.ToString();
    }

    /// <summary>True when <paramref name="term"/> occurs as whole words in <paramref name="normalizedAnswer"/> (already normalised).</summary>
    public static bool Contains(string normalizedAnswer, string term)
    {
        ArgumentNullException.ThrowIfNull(normalizedAnswer);
        var needle = Normalize(term);
        if (needle.Length == 0)
        {
            return false;
        }

        for (var at = normalizedAnswer.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = normalizedAnswer.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            var end = at + needle.Length;
            var startsClean = !char.IsLetterOrDigit(needle[0]) || at == 0 || !char.IsLetterOrDigit(normalizedAnswer[at - 1]);
            var endsClean = !char.IsLetterOrDigit(needle[^1]) || end == normalizedAnswer.Length || !char.IsLetterOrDigit(normalizedAnswer[end]);
            if (startsClean && endsClean)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first term of <paramref name="synonyms"/> found in <paramref name="normalizedAnswer"/>, or null.</summary>
    public static string? FirstMatch(string normalizedAnswer, IEnumerable<string> synonyms)
    {
        ArgumentNullException.ThrowIfNull(synonyms);
        return synonyms.FirstOrDefault(term => Contains(normalizedAnswer, term));
    }
}
