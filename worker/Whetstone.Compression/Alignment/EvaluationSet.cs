using System.Globalization;
using Whetstone.Datasets;
using Whetstone.Datasets.Records;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Evaluation;
using ChatMessage = Whetstone.ML.Tokenization.ChatMessage;

namespace Whetstone.Compression.Alignment;

/// <summary>
/// The records alignment runs both models on, in the shape the task needs: multiple-choice questions (accuracy by
/// answer log-likelihood), texts (perplexity and next-token agreement), or a labelled feature table (classifier
/// accuracy and macro F1).
/// </summary>
public sealed class EvaluationSet
{
    private EvaluationSet(EvaluationTask task, string source) => (Task, Source) = (task, source);

    /// <summary>What is measured.</summary>
    public EvaluationTask Task { get; }

    /// <summary>Where the records came from (for messages).</summary>
    public string Source { get; }

    /// <summary>Multiple-choice questions (task MultipleChoice).</summary>
    public IReadOnlyList<MultipleChoiceQuestion> Questions { get; private init; } = [];

    /// <summary>Conversations or texts (task Text); each message list is formatted with the model's chat template.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Conversations { get; private init; } = [];

    /// <summary>Plain texts (task Text).</summary>
    public IReadOnlyList<string> Texts { get; private init; } = [];

    /// <summary>Feature rows and labels (task Classification).</summary>
    public LabelledTable? Table { get; private init; }

    /// <summary>Records used (after the cap).</summary>
    public int Count => Task switch
    {
        EvaluationTask.MultipleChoice => Questions.Count,
        EvaluationTask.Text => Conversations.Count + Texts.Count,
        _ => Table?.Features.Count ?? 0,
    };

    /// <summary>One text key per record (the question, the conversation, the text, or the feature row), to find records two sets share.</summary>
    public IEnumerable<string> Keys() => Task switch
    {
        EvaluationTask.MultipleChoice => Questions.Select(q => q.Prompt),
        EvaluationTask.Text => Conversations.Select(c => string.Join("\n", c.Select(m => m.Role + ": " + m.Content))).Concat(Texts),
        _ => Table?.Features.Select(row => string.Join(",", row.Select(v => v.ToString(CultureInfo.InvariantCulture)))) ?? [],
    };

    /// <summary>
    /// Reads <paramref name="path"/>: a CSV of numeric features with the label last is a classification table,
    /// anything else is read as JSONL/CSV records of <paramref name="format"/> (or the format the first record has).
    /// At most <paramref name="maxRecords"/> records are kept, in file order, so both models see the same ones.
    /// </summary>
    public static EvaluationSet Read(string path, DatasetFormat? format, int maxRecords)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: the evaluation dataset does not exist");
        }
        if (DatasetReader.DetectFileType(path) == DatasetFileType.Csv && IsNumericTable(path))
        {
            var table = LabelledTable.ReadCsv(path);
            var rows = Enumerable.Range(0, Math.Min(maxRecords, table.Features.Count)).ToList();
            return new EvaluationSet(EvaluationTask.Classification, path) { Table = table.Subset(rows) };
        }
        var resolved = format ?? DetectFormat(path);
        var records = DatasetReader.ReadFile(path, resolved).Where(r => !r.IsEmpty).Take(maxRecords).ToList();
        if (records.Count == 0)
        {
            throw new InvalidDataException($"{path}: no {resolved} records to evaluate on");
        }
        return resolved switch
        {
            DatasetFormat.MultipleChoice => new EvaluationSet(EvaluationTask.MultipleChoice, path)
            {
                Questions = [.. records.OfType<MultipleChoiceRecord>().Select(ToQuestion)],
            },
            DatasetFormat.Chat => new EvaluationSet(EvaluationTask.Text, path)
            {
                Conversations = [.. records.OfType<ChatRecord>().Select(c => (IReadOnlyList<ChatMessage>)[.. c.Messages.Select(m => new ChatMessage(m.RoleName, m.Content))])],
            },
            DatasetFormat.Instruction => new EvaluationSet(EvaluationTask.Text, path)
            {
                Texts = [.. records.OfType<InstructionRecord>().Select(r => string.Join("\n", r.TextFields))],
            },
            DatasetFormat.Text => new EvaluationSet(EvaluationTask.Text, path) { Texts = [.. records.OfType<TextRecord>().Select(r => r.Text)] },
            _ => throw new InvalidDataException($"{path}: {resolved} records cannot be evaluated on a language model (use multipleChoice, chat, instruction or text; a classifier needs a CSV of features with the label last)"),
        };
    }

    /// <summary>The question as the fine-tuning worker puts it: the question and the lettered choices; each choice's text is scored.</summary>
    public static MultipleChoiceQuestion ToQuestion(MultipleChoiceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var prompt = record.Question + "\n" + string.Join("\n", record.Choices.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + i)}. {c}")));
        return new MultipleChoiceQuestion(prompt, record.Choices, record.Answer);
    }

    /// <summary>The record format of a file whose format was not given: a CSV by its header, JSONL by its first record's fields.</summary>
    public static DatasetFormat DetectFormat(string path)
    {
        if (DatasetReader.DetectFileType(path) == DatasetFileType.Csv)
        {
            return DatasetReader.InferCsvFormat(path);
        }
        var first = File.ReadLines(path).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? throw new InvalidDataException($"{path}: empty");
        return first.Contains("\"choices\"", StringComparison.Ordinal) ? DatasetFormat.MultipleChoice
            : first.Contains("\"messages\"", StringComparison.Ordinal) ? DatasetFormat.Chat
            : first.Contains("\"instruction\"", StringComparison.Ordinal) ? DatasetFormat.Instruction
            : first.Contains("\"label\"", StringComparison.Ordinal) ? DatasetFormat.Classification
            : DatasetFormat.Text;
    }

    private static bool IsNumericTable(string path)
    {
        var lines = File.ReadLines(path).Take(2).ToList();
        return lines.Count == 2 && lines[1].Split(',').SkipLast(1).All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }
}
