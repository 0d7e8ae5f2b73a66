using System.Text.Json;

namespace Whetstone.Datasets.Records;

/// <summary>
/// A question with choices: <c>{"question": "…", "choices": ["…", "…"], "answer": 1}</c>. Files may give the answer
/// as a 0-based index or a letter (A is the first choice); the canonical form is the index.
/// </summary>
/// <param name="Question">The question.</param>
/// <param name="Choices">At least two choices.</param>
/// <param name="Answer">0-based index of the correct choice.</param>
public sealed record MultipleChoiceRecord(string Question, IReadOnlyList<string> Choices, int Answer) : DatasetRecord
{
    /// <inheritdoc />
    public override DatasetFormat Format => DatasetFormat.MultipleChoice;

    /// <inheritdoc />
    public override IEnumerable<string> TextFields => [Question, .. Choices];

    /// <summary>The correct choice as a letter: A, B, C, …</summary>
    public char AnswerLetter => (char)('A' + Answer);

    /// <summary>Empty when the question or the correct choice is blank.</summary>
    public override bool IsEmpty => string.IsNullOrWhiteSpace(Question) || string.IsNullOrWhiteSpace(Choices[Answer]);

    /// <inheritdoc />
    public override DatasetRecord MapText(Func<string, string> map) =>
        new MultipleChoiceRecord(map(Question), Choices.Select(map).ToArray(), Answer);

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("question", Question);
        writer.WriteStartArray("choices");
        foreach (var choice in Choices)
        {
            writer.WriteStringValue(choice);
        }

        writer.WriteEndArray();
        writer.WriteNumber("answer", Answer);
        writer.WriteEndObject();
    }
}
