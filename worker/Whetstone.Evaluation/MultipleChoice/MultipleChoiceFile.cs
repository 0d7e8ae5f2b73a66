using System.Globalization;
using System.Text.Json;
using Whetstone.Datasets;

namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>
/// Reads a multiple-choice JSONL file: <c>{"question", "choices": [..], "answer": 1 | "B"}</c> plus the optional
/// <c>id</c>, <c>subject</c> and <c>category</c>. A bad record fails with the file, the line and the field.
/// </summary>
public static class MultipleChoiceFile
{
    /// <summary>Reads the records of <paramref name="path"/>, stopping after <paramref name="limit"/> when given.</summary>
    /// <exception cref="DatasetFormatException">A line read is not a valid multiple-choice record.</exception>
    public static IReadOnlyList<MultipleChoiceItem> Read(string path, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path);
        var items = new List<MultipleChoiceItem>();
        foreach (var (line, lineNumber) in JsonlRecord.Lines(path))
        {
            if (items.Count == limit)
            {
                break;
            }

            items.Add(Parse(line, name, lineNumber));
        }

        return items;
    }

    private static MultipleChoiceItem Parse(string line, string file, int lineNumber)
    {
        DatasetFormatException Error(string message) => new(file, lineNumber, message);
        var root = JsonlRecord.ParseObject(line, file, lineNumber);

        var question = root.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(q.GetString())
            ? q.GetString()!
            : throw Error("field 'question' must be a non-empty string");
        if (!root.TryGetProperty("choices", out var c) || c.ValueKind != JsonValueKind.Array || c.GetArrayLength() < 2
            || c.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw Error("field 'choices' must be an array of at least two strings");
        }

        var choices = c.EnumerateArray().Select(e => e.GetString()!).ToArray();
        if (!root.TryGetProperty("answer", out var a))
        {
            throw Error("field 'answer' is required (0-based index or letter)");
        }

        var answer = a.ValueKind switch
        {
            JsonValueKind.Number when a.TryGetInt32(out var index) => index,
            JsonValueKind.String when a.GetString() is { Length: 1 } letter && char.IsAsciiLetterUpper(letter[0]) => letter[0] - 'A',
            _ => -1,
        };
        if (answer < 0 || answer >= choices.Length)
        {
            throw Error(string.Create(CultureInfo.InvariantCulture, $"field 'answer' must be an index in 0..{choices.Length - 1} or a letter A..{(char)('A' + choices.Length - 1)}"));
        }

        string? Optional(string field) => root.TryGetProperty(field, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error($"field '{field}' must be a string")
            : null;
        var id = Optional("id") ?? string.Create(CultureInfo.InvariantCulture, $"line-{lineNumber}");
        return new MultipleChoiceItem(id, question, choices, answer, Optional("subject"), Optional("category"));
    }
}
