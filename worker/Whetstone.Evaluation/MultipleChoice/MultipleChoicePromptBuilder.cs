using System.Globalization;
using Whetstone.ML.Tokenization;

namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>
/// The chat turns that ask a question: optional solved examples (user question, assistant answer) and then the
/// question itself, each question followed by its lettered choices — the format the finetune command trains
/// multiple-choice records in, so an evaluation asks the way training taught.
/// </summary>
public static class MultipleChoicePromptBuilder
{
    /// <summary>The user's message for <paramref name="item"/>.</summary>
    public static string UserMessage(MultipleChoiceItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Question + "\n" + string.Join("\n", item.Choices.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + i)}. {c}")));
    }

    /// <summary>
    /// The few-shot examples of item <paramref name="index"/>: <paramref name="count"/> other items drawn without
    /// replacement by a <see cref="Random"/> seeded with (seed, index), so the draw repeats and differs per item.
    /// </summary>
    public static IReadOnlyList<MultipleChoiceItem> FewShotExamples(IReadOnlyList<MultipleChoiceItem> items, int index, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (count <= 0 || items.Count < 2)
        {
            return [];
        }

        var random = new Random(HashCode.Combine(seed, index) & int.MaxValue);
        var others = Enumerable.Range(0, items.Count).Where(i => i != index).ToArray();
        random.Shuffle(others);
        return others.Take(count).Select(i => items[i]).ToArray();
    }

    /// <summary>Plain-text context: solved examples as <c>Question: …\nAnswer: …</c> lines, then the question and <c>Answer:</c>.</summary>
    public static string PlainContext(MultipleChoiceItem item, IReadOnlyList<MultipleChoiceItem> examples)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(examples);
        var solved = examples.Select(e => $"Question: {e.Question}\nAnswer:{PlainAnswer(e.Choices[e.Answer])}\n");
        return string.Concat(solved) + $"Question: {item.Question}\nAnswer:";
    }

    /// <summary>A choice as the plain-text continuation: a space, the text, and a full stop unless it ends with one.</summary>
    public static string PlainAnswer(string choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return " " + choice + (choice.EndsWith('.') || choice.EndsWith('?') || choice.EndsWith('!') ? "" : ".");
    }

    /// <summary>The conversation before the answer: examples as earlier turns, then the question.</summary>
    public static IReadOnlyList<ChatMessage> Conversation(MultipleChoiceItem item, IReadOnlyList<MultipleChoiceItem> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var messages = new List<ChatMessage>();
        foreach (var example in examples)
        {
            messages.Add(new ChatMessage("user", UserMessage(example)));
            messages.Add(new ChatMessage("assistant", example.Choices[example.Answer]));
        }

        messages.Add(new ChatMessage("user", UserMessage(item)));
        return messages;
    }
}
