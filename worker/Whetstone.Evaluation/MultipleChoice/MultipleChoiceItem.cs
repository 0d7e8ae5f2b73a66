namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>One multiple-choice question of a suite (MMLU / C-Eval style).</summary>
/// <param name="Id">Stable id: the record's <c>id</c> field, else <c>line-N</c>.</param>
/// <param name="Question">The question.</param>
/// <param name="Choices">Two or more choices.</param>
/// <param name="Answer">0-based index of the correct choice.</param>
/// <param name="Subject">Optional subject (such as <c>geography</c>); per-subject accuracy is reported when present.</param>
/// <param name="Category">Optional category grouping subjects (such as <c>STEM</c>).</param>
public sealed record MultipleChoiceItem(string Id, string Question, IReadOnlyList<string> Choices, int Answer, string? Subject = null, string? Category = null);
