namespace Whetstone.ML.Evaluation;

/// <summary>One multiple-choice question, asked as the user's turn of a chat.</summary>
/// <param name="Prompt">The user's message (the question, and the listed choices when the training format lists them).</param>
/// <param name="Choices">The candidate answers, each scored as the assistant's whole reply.</param>
/// <param name="Answer">0-based index of the correct choice.</param>
public sealed record MultipleChoiceQuestion(string Prompt, IReadOnlyList<string> Choices, int Answer);
