using System.Globalization;
using Whetstone.Datasets.Records;
using Whetstone.ML.Evaluation;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// How a multiple-choice record is put to the model, in training and in evaluation alike: the user's message is
/// the question followed by the lettered choices, and the assistant's reply is the text of the correct choice.
/// </summary>
/// <remarks>
/// The reply is the choice's text, not its letter, because the evaluation scores each choice's text by
/// log-likelihood (<see cref="MultipleChoiceEvaluator"/>): a model trained to answer "B" gains nothing that
/// scoring the choices' texts can see. With this format a LoRA run on the generated support questions lifts the
/// tiny model's test accuracy from about 0.13 to about 0.63 (the worker test's figures). The choices stay listed
/// in the question so the prompt is the one a user would send; whether the bare question trains better was not
/// settled by measurement.
/// </remarks>
internal static class MultipleChoicePrompt
{
    /// <summary>The user's message for <paramref name="record"/>.</summary>
    public static string UserMessage(MultipleChoiceRecord record) =>
        record.Question + "\n" + string.Join("\n", record.Choices.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + i)}. {c}")));

    /// <summary>The assistant's reply the model is trained on.</summary>
    public static string Reply(MultipleChoiceRecord record) => record.Choices[record.Answer];

    /// <summary>The record as a question for <see cref="MultipleChoiceEvaluator"/>.</summary>
    public static MultipleChoiceQuestion ToQuestion(MultipleChoiceRecord record) => new(UserMessage(record), record.Choices, record.Answer);
}
