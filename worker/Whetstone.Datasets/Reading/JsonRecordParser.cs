using System.Globalization;
using System.Text.Json;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Reading;

/// <summary>Turns one parsed JSON object into a typed record, naming the bad field when it does not fit.</summary>
internal static class JsonRecordParser
{
    public static DatasetRecord Parse(JsonElement root, DatasetFormat format)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RecordFieldException("$", $"expected a JSON object, found {Describe(root.ValueKind)}");
        }

        return format switch
        {
            DatasetFormat.Chat => ParseChat(root),
            DatasetFormat.Instruction => new InstructionRecord(
                RequiredString(root, "instruction", format), OptionalString(root, "input"), RequiredString(root, "output", format)),
            DatasetFormat.Text => new TextRecord(RequiredString(root, "text", format)),
            DatasetFormat.Classification => new ClassificationRecord(RequiredString(root, "text", format), ParseLabel(root)),
            DatasetFormat.MultipleChoice => ParseMultipleChoice(root),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format"),
        };
    }

    public static ChatRecord ParseChat(JsonElement root)
    {
        var messages = Required(root, "messages", DatasetFormat.Chat);
        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw new RecordFieldException("messages", $"expected an array, found {Describe(messages.ValueKind)}");
        }

        return ParseMessages(messages, "messages");
    }

    public static ChatRecord ParseMessages(JsonElement messages, string field)
    {
        var parsed = new List<ChatMessage>(messages.GetArrayLength());
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"{field}[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new RecordFieldException(path, $"expected an object, found {Describe(message.ValueKind)}");
            }

            var roleName = StringAt(message, "role", $"{path}.role");
            var role = ChatMessage.ParseRole(roleName)
                ?? throw new RecordFieldException($"{path}.role", $"unknown role \"{roleName}\" (expected system, user, assistant)");
            parsed.Add(new ChatMessage(role, StringAt(message, "content", $"{path}.content")));
            index++;
        }

        if (parsed.Count == 0)
        {
            throw new RecordFieldException(field, "no messages");
        }

        if (!parsed.Any(message => message.Role == ChatRole.Assistant))
        {
            throw new RecordFieldException(field, "no assistant message (a chat record needs the answer to learn)");
        }

        return new ChatRecord(parsed);
    }

    private static string ParseLabel(JsonElement root)
    {
        var label = Required(root, "label", DatasetFormat.Classification);
        return label.ValueKind switch
        {
            JsonValueKind.String => label.GetString()!,
            JsonValueKind.Number when label.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.True or JsonValueKind.False => label.ValueKind == JsonValueKind.True ? "true" : "false",
            _ => throw new RecordFieldException("label", $"expected a string, integer or boolean, found {Describe(label.ValueKind)}"),
        };
    }

    private static MultipleChoiceRecord ParseMultipleChoice(JsonElement root)
    {
        var question = RequiredString(root, "question", DatasetFormat.MultipleChoice);
        var choicesElement = Required(root, "choices", DatasetFormat.MultipleChoice);
        if (choicesElement.ValueKind != JsonValueKind.Array)
        {
            throw new RecordFieldException("choices", $"expected an array of strings, found {Describe(choicesElement.ValueKind)}");
        }

        var choices = new List<string>();
        foreach (var choice in choicesElement.EnumerateArray())
        {
            if (choice.ValueKind != JsonValueKind.String)
            {
                throw new RecordFieldException($"choices[{choices.Count}]", $"expected a string, found {Describe(choice.ValueKind)}");
            }

            choices.Add(choice.GetString()!);
        }

        var answer = Required(root, "answer", DatasetFormat.MultipleChoice);
        return new MultipleChoiceRecord(question, CheckChoices(choices), ParseAnswer(answer, choices.Count));
    }

    public static List<string> CheckChoices(List<string> choices)
    {
        if (choices.Count < 2)
        {
            throw new RecordFieldException("choices", $"expected at least 2 choices, found {choices.Count}");
        }

        if (choices.Count > 26)
        {
            throw new RecordFieldException("choices", $"expected at most 26 choices, found {choices.Count}");
        }

        return choices;
    }

    private static int ParseAnswer(JsonElement answer, int choiceCount)
    {
        if (answer.ValueKind == JsonValueKind.Number)
        {
            if (!answer.TryGetInt32(out var index))
            {
                throw new RecordFieldException("answer", $"expected an integer index or a letter, found {answer.GetRawText()}");
            }

            return CheckIndex(index, choiceCount);
        }

        if (answer.ValueKind == JsonValueKind.String)
        {
            return ParseAnswerText(answer.GetString()!, choiceCount);
        }

        throw new RecordFieldException("answer", $"expected an integer index or a letter, found {Describe(answer.ValueKind)}");
    }

    /// <summary>A letter (A = first choice, any case) or a 0-based index written as text (CSV cells).</summary>
    public static int ParseAnswerText(string text, int choiceCount)
    {
        var trimmed = text.Trim();
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return CheckIndex(index, choiceCount);
        }

        if (trimmed.Length == 1 && char.IsAsciiLetter(trimmed[0]))
        {
            var letter = char.ToUpperInvariant(trimmed[0]);
            var letterIndex = letter - 'A';
            if (letterIndex >= choiceCount)
            {
                throw new RecordFieldException(
                    "answer", $"\"{trimmed}\" out of range (expected A to {(char)('A' + choiceCount - 1)} for {choiceCount} choices)");
            }

            return letterIndex;
        }

        throw new RecordFieldException("answer", $"expected an integer index or a letter, found \"{text}\"");
    }

    private static int CheckIndex(int index, int choiceCount) =>
        index >= 0 && index < choiceCount
            ? index
            : throw new RecordFieldException(
                "answer", $"index {index} out of range (expected 0 to {choiceCount - 1} for {choiceCount} choices)");

    private static JsonElement Required(JsonElement root, string name, DatasetFormat format) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new RecordFieldException(name, $"missing (required for format {format.ToName()})");

    private static string RequiredString(JsonElement root, string name, DatasetFormat format)
    {
        var value = Required(root, name, format);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RecordFieldException(name, $"expected a string, found {Describe(value.ValueKind)}");
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RecordFieldException(name, $"expected a string, found {Describe(value.ValueKind)}");
    }

    private static string StringAt(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new RecordFieldException(path, "missing");
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RecordFieldException(path, $"expected a string, found {Describe(value.ValueKind)}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
