namespace Whetstone.Evaluation.Subjective;

/// <summary>The abilities a subjective record can test (the record's <c>category</c>), in report order.</summary>
public static class SubjectiveCategories
{
    /// <summary>Knowledge questions and answers.</summary>
    public const string Knowledge = "knowledge";

    /// <summary>Following an instruction on form or content.</summary>
    public const string Instruction = "instruction";

    /// <summary>Writing a text (a message, a summary, a description).</summary>
    public const string Writing = "writing";

    /// <summary>Chit-chat and empathy.</summary>
    public const string Empathy = "empathy";

    /// <summary>Keeping a persona and style.</summary>
    public const string Persona = "persona";

    /// <summary>Math and reasoning.</summary>
    public const string Reasoning = "reasoning";

    /// <summary>Code generation.</summary>
    public const string Code = "code";

    /// <summary>Tool calling: the answer is a JSON tool call.</summary>
    public const string ToolCalling = "toolCalling";

    /// <summary>Multi-turn dialogue.</summary>
    public const string MultiTurn = "multiTurn";

    /// <summary>Multi-party dialogue (several named speakers).</summary>
    public const string MultiParty = "multiParty";

    /// <summary>Safety: refusing what must be refused, leaking no personal data.</summary>
    public const string Safety = "safety";

    /// <summary>Every category, in report order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Knowledge, Instruction, Writing, Empathy, Persona, Reasoning, Code, ToolCalling, MultiTurn, MultiParty, Safety];

    /// <summary>True when <paramref name="name"/> is a category (exact spelling).</summary>
    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
