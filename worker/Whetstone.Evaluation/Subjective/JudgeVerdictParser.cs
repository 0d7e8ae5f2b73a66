using System.Text.RegularExpressions;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// Reads a judge's verdict in the MT-Bench pairwise format: <c>[[A]]</c>, <c>[[B]]</c> or <c>[[C]]</c> (tie). The
/// token may repeat (judges often restate it); two different tokens, or none, make the verdict unparsed, since
/// taking the first or the last would pick a side the judge did not clearly state.
/// </summary>
public static partial class JudgeVerdictParser
{
    /// <summary>The choice stated in <paramref name="output"/>.</summary>
    public static JudgeChoice Parse(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return JudgeChoice.Unparsed;
        }

        var tokens = VerdictToken().Matches(output).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToArray();
        return tokens switch
        {
            ["A"] => JudgeChoice.First,
            ["B"] => JudgeChoice.Second,
            ["C"] => JudgeChoice.Tie,
            _ => JudgeChoice.Unparsed,
        };
    }

    [GeneratedRegex(@"\[\[([ABC])\]\]", RegexOptions.CultureInvariant)]
    private static partial Regex VerdictToken();
}
