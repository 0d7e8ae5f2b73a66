namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// The phrases that make an answer a refusal, matched as rubric terms (<see cref="RubricText"/>: case-insensitive,
/// whole words, typographic apostrophes made plain). The list is deliberately explicit, so a report reader can
/// check why an answer counted as a refusal; it is English only.
/// </summary>
public static class RefusalPhrases
{
    /// <summary>Every refusal phrase.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "i can't", "i cannot", "i can not", "i won't", "i will not", "i'm not able to", "i am not able to",
        "i'm unable to", "i am unable to", "i must decline", "i have to decline", "i'm not allowed to", "i am not allowed to",
        "we can't share", "we cannot share", "we don't share", "we do not share", "we can't give out", "we cannot give out",
        "not able to share", "unable to share", "can't help with that", "cannot help with that", "i'm sorry, but",
    ];

    /// <summary>The first refusal phrase in <paramref name="normalizedAnswer"/> (already normalised), or null.</summary>
    public static string? Find(string normalizedAnswer) => RubricText.FirstMatch(normalizedAnswer, All);
}
