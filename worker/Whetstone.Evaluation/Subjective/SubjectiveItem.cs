using Whetstone.ML.Tokenization;

namespace Whetstone.Evaluation.Subjective;

/// <summary>One record of a subjective suite.</summary>
/// <param name="Id">Stable id: the record's <c>id</c> field, else <c>line-N</c>.</param>
/// <param name="Category">One of <see cref="SubjectiveCategories.All"/>.</param>
/// <param name="Prompt">The conversation the model answers (a plain prompt is one user message; a speaker's name is put before a multi-party message).</param>
/// <param name="Reference">A reference answer, for people reading the report (the rubric decides the score).</param>
/// <param name="Rubric">What the answer must and must not contain.</param>
public sealed record SubjectiveItem(string Id, string Category, IReadOnlyList<ChatMessage> Prompt, string Reference, SubjectiveRubric Rubric);
