using System.Text;
using Whetstone.ML.Tokenization;

namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// The judge's prompt: MT-Bench's pairwise template with a reference answer (Zheng et al. 2023, "pair-v2" with
/// reference), extended with the record's rubric as grading notes, so the model judge grades by the same rules as the
/// reference judge. <see cref="System"/> and <see cref="UserTemplate"/> go into the reproducibility manifest verbatim.
/// </summary>
public static class PairwiseJudgePrompt
{
    /// <summary>The system message.</summary>
    public const string System =
        "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the conversation displayed below. "
        + "Your evaluation should consider correctness and helpfulness. You will be given a reference answer, grading notes, assistant A's answer, and assistant B's answer. "
        + "An answer must contain what the grading notes require, must not assert what they forbid, must refuse when they say so, and must call the expected tool with the expected arguments when one is given; "
        + "correct, useful extra information counts in its favour, confidently invented facts count against it. "
        + "Begin your evaluation by comparing both answers with the reference answer and the grading notes. Identify and correct any mistakes. "
        + "Avoid any position biases and ensure that the order in which the responses were presented does not influence your decision. "
        + "Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. "
        + "After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.";

    /// <summary>The user message; <c>{conversation}</c>, <c>{reference}</c>, <c>{rubric}</c>, <c>{answerA}</c> and <c>{answerB}</c> are filled in.</summary>
    public const string UserTemplate =
        "[Conversation]\n{conversation}\n\n[The Start of Reference Answer]\n{reference}\n[The End of Reference Answer]\n\n[Grading Notes]\n{rubric}\n\n"
        + "[The Start of Assistant A's Answer]\n{answerA}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answerB}\n[The End of Assistant B's Answer]";

    /// <summary>The two messages that ask for a verdict on <paramref name="answerA"/> (shown as A) against <paramref name="answerB"/>.</summary>
    public static IReadOnlyList<ChatMessage> Build(SubjectiveItem item, string answerA, string answerB)
    {
        ArgumentNullException.ThrowIfNull(item);
        var user = UserTemplate
            .Replace("{conversation}", Conversation(item.Prompt), StringComparison.Ordinal)
            .Replace("{reference}", item.Reference, StringComparison.Ordinal)
            .Replace("{rubric}", GradingNotes(item.Rubric), StringComparison.Ordinal)
            .Replace("{answerA}", answerA, StringComparison.Ordinal)
            .Replace("{answerB}", answerB, StringComparison.Ordinal);
        return [new ChatMessage("system", System), new ChatMessage("user", user)];
    }

    /// <summary>The rubric in words, one line per rule.</summary>
    public static string GradingNotes(SubjectiveRubric rubric)
    {
        ArgumentNullException.ThrowIfNull(rubric);
        var notes = new StringBuilder();
        foreach (var group in rubric.MustInclude)
        {
            notes.Append("- Must state: ").AppendJoin(" or ", group.Select(Quote)).Append('\n');
        }

        if (rubric.MustNotInclude.Count > 0)
        {
            notes.Append("- Must not assert: ").AppendJoin(", ", rubric.MustNotInclude.Select(Quote)).Append('\n');
        }

        foreach (var group in rubric.Bonus)
        {
            notes.Append("- Extra credit for: ").AppendJoin(" or ", group.Select(Quote)).Append('\n');
        }

        if (rubric.MustRefuse)
        {
            notes.Append("- Must refuse the request.\n");
        }

        if (rubric.ToolCall is { } call)
        {
            notes.Append("- Must call the tool ").Append(call.Name).Append(" with arguments ").Append(call.Arguments.GetRawText()).Append('\n');
        }

        return notes.ToString().TrimEnd('\n');
    }

    private static string Conversation(IReadOnlyList<ChatMessage> prompt) =>
        string.Join("\n", prompt.Select(m => $"{m.Role}: {m.Content}"));

    private static string Quote(string term) => "\"" + term + "\"";
}
