using System.Text.Json;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Reading;

/// <summary>
/// Maps CSV rows to records by header name (case-insensitive; columns the format does not use are ignored).
/// Columns per format: text: <c>text</c>; classification: <c>text</c>, <c>label</c>; instruction:
/// <c>instruction</c>, optional <c>input</c>, <c>output</c>; multipleChoice: <c>question</c>, <c>A</c>, <c>B</c>, …
/// (consecutive letters; blank trailing cells are not choices), <c>answer</c> (letter or 0-based index); chat: either
/// a <c>messages</c> column holding the JSON array, or one turn as <c>user</c>, <c>assistant</c> and optional
/// <c>system</c>.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly string _fileName;
    private readonly DatasetFormat _format;
    private readonly Dictionary<string, int> _columns;
    private readonly int _columnCount;
    private readonly List<int> _choiceColumns = [];

    private CsvRecordReader(string fileName, DatasetFormat format, CsvRow header)
    {
        this._fileName = fileName;
        this._format = format;
        _columnCount = header.Fields.Count;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            // A byte order mark that reached us as text (a reader that did not strip it) is not part of the name.
            var name = header.Fields[i].Trim().TrimStart('\uFEFF');
            if (name.Length > 0 && !_columns.TryAdd(name, i))
            {
                throw new DatasetFormatException(fileName, header.LineNumber, $"column \"{name}\" appears twice in the header");
            }
        }

        CheckHeader(header.LineNumber);
    }

    public static IEnumerable<DatasetRecord> Read(
        TextReader reader, string fileName, DatasetFormat format, CancellationToken cancellationToken)
    {
        using var rows = new CsvRowReader(reader, fileName).ReadRows(cancellationToken).GetEnumerator();
        if (!rows.MoveNext())
        {
            yield break;
        }

        var records = new CsvRecordReader(fileName, format, rows.Current);
        while (rows.MoveNext())
        {
            yield return records.ToRecord(rows.Current);
        }
    }

    /// <summary>The record format a CSV header describes (see the README for the order of the rules).</summary>
    public static DatasetFormat InferFormat(TextReader reader, string fileName, CancellationToken cancellationToken)
    {
        var header = new CsvRowReader(reader, fileName).ReadRows(cancellationToken).FirstOrDefault()
            ?? throw new DatasetFormatException(fileName, 1, "empty file: expected a header row");
        var names = new HashSet<string>(header.Fields.Select(name => name.Trim().TrimStart('\uFEFF')), StringComparer.OrdinalIgnoreCase);
        bool Has(params string[] columns) => columns.All(names.Contains);
        if (Has("messages") || Has("user", "assistant"))
        {
            return DatasetFormat.Chat;
        }

        if (Has("instruction", "output"))
        {
            return DatasetFormat.Instruction;
        }

        if (Has("question", "answer", "A", "B"))
        {
            return DatasetFormat.MultipleChoice;
        }

        if (Has("text"))
        {
            return Has("label") ? DatasetFormat.Classification : DatasetFormat.Text;
        }

        throw new DatasetFormatException(
            fileName,
            header.LineNumber,
            "cannot tell the record format from the header (expected messages or user+assistant, instruction+output, question+answer+A+B, text+label, or text)");
    }

    private void CheckHeader(long headerLine)
    {
        string[] required = _format switch
        {
            DatasetFormat.Text => ["text"],
            DatasetFormat.Classification => ["text", "label"],
            DatasetFormat.Instruction => ["instruction", "output"],
            DatasetFormat.MultipleChoice => ["question", "answer", "A", "B"],
            DatasetFormat.Chat => _columns.ContainsKey("messages") ? ["messages"] : ["user", "assistant"],
            _ => [],
        };
        var missing = required.Where(name => !_columns.ContainsKey(name)).ToArray();
        if (missing.Length > 0)
        {
            var chatHint = _format == DatasetFormat.Chat
                ? " (chat in CSV: a \"messages\" column with the JSON array, or \"user\", \"assistant\" and optional \"system\" columns for one turn)"
                : string.Empty;
            throw new DatasetFormatException(
                _fileName,
                headerLine,
                $"missing column{(missing.Length > 1 ? "s" : string.Empty)} {string.Join(", ", missing.Select(name => $"\"{name}\""))} for format {_format.ToName()}{chatHint}");
        }

        if (_format == DatasetFormat.MultipleChoice)
        {
            for (var letter = 'A'; letter <= 'Z' && _columns.TryGetValue(letter.ToString(), out var index); letter++)
            {
                _choiceColumns.Add(index);
            }
        }
    }

    private DatasetRecord ToRecord(CsvRow row)
    {
        if (row.Fields.Count != _columnCount)
        {
            throw new DatasetFormatException(
                _fileName, row.LineNumber, $"expected {_columnCount} columns (as in the header), found {row.Fields.Count}");
        }

        try
        {
            return _format switch
            {
                DatasetFormat.Text => new TextRecord(Cell(row, "text")),
                DatasetFormat.Classification => new ClassificationRecord(Cell(row, "text"), Cell(row, "label").Trim()),
                DatasetFormat.Instruction => new InstructionRecord(Cell(row, "instruction"), OptionalCell(row, "input"), Cell(row, "output")),
                DatasetFormat.MultipleChoice => ToMultipleChoice(row),
                DatasetFormat.Chat => ToChat(row),
                _ => throw new ArgumentOutOfRangeException(nameof(row), _format, "unknown format"),
            };
        }
        catch (RecordFieldException exception)
        {
            throw new DatasetFormatException(_fileName, row.LineNumber, exception.Message, exception);
        }
    }

    private MultipleChoiceRecord ToMultipleChoice(CsvRow row)
    {
        var choices = _choiceColumns.Select(index => row.Fields[index]).ToList();
        while (choices.Count > 0 && string.IsNullOrWhiteSpace(choices[^1]))
        {
            choices.RemoveAt(choices.Count - 1);
        }

        JsonRecordParser.CheckChoices(choices);
        return new MultipleChoiceRecord(Cell(row, "question"), choices, JsonRecordParser.ParseAnswerText(Cell(row, "answer"), choices.Count));
    }

    private ChatRecord ToChat(CsvRow row)
    {
        if (_columns.ContainsKey("messages"))
        {
            try
            {
                using var document = JsonDocument.Parse(Cell(row, "messages"));
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw new RecordFieldException("messages", "expected a JSON array of messages");
                }

                return JsonRecordParser.ParseMessages(document.RootElement, "messages");
            }
            catch (JsonException exception)
            {
                throw new RecordFieldException("messages", JsonlRecordReader.DescribeJsonError(exception));
            }
        }

        var messages = new List<ChatMessage>(3);
        if (OptionalCell(row, "system") is { Length: > 0 } system)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.Add(new ChatMessage(ChatRole.User, Cell(row, "user")));
        messages.Add(new ChatMessage(ChatRole.Assistant, Cell(row, "assistant")));
        return new ChatRecord(messages);
    }

    private string Cell(CsvRow row, string column) => row.Fields[_columns[column]];

    private string? OptionalCell(CsvRow row, string column) =>
        _columns.TryGetValue(column, out var index) ? row.Fields[index] : null;
}
