namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// The deterministic rubric of one record. An answer is correct when every <see cref="MustInclude"/> group has a
/// match, it refuses when <see cref="MustRefuse"/> is set, and its tool call equals <see cref="ToolCall"/> when one
/// is expected. Terms match case-insensitively on whole words with whitespace collapsed (see <see cref="RubricText"/>).
/// </summary>
/// <param name="MustInclude">Groups of synonyms: each group needs one of its terms in the answer.</param>
/// <param name="MustNotInclude">Terms that assert what the reference contradicts: any of them costs the fabrication penalty.</param>
/// <param name="Bonus">Groups of synonyms for correct, useful extra information: each matched group earns the bonus (on a correct answer).</param>
/// <param name="MustRefuse">The answer must refuse (a phrase of <see cref="RefusalPhrases.All"/>).</param>
/// <param name="ToolCall">The expected tool call, or null.</param>
public sealed record SubjectiveRubric(
    IReadOnlyList<IReadOnlyList<string>> MustInclude,
    IReadOnlyList<string> MustNotInclude,
    IReadOnlyList<IReadOnlyList<string>> Bonus,
    bool MustRefuse,
    ExpectedToolCall? ToolCall);
