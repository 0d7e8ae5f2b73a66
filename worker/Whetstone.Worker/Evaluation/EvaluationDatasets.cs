using System.Globalization;
using System.Text.Json;
using Whetstone.Api;
using Whetstone.Datasets;
using Whetstone.Datasets.Records;
using Whetstone.Evaluation.Generation;
using Whetstone.Evaluation.MultipleChoice;
using Whetstone.Evaluation.Subjective;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>Reads the files a run scores and checks: multiple-choice items, subjective records, classification records, training records' content.</summary>
internal static class EvaluationDatasets
{
    public static IReadOnlyList<MultipleChoiceItem> ReadMultipleChoice(string path, string field, int? maxSamples)
    {
        try
        {
            return MultipleChoiceFile.Read(path, maxSamples);
        }
        catch (DatasetFormatException error)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
    }

    /// <summary>Records of a subjective JSONL file (category, prompt, reference, rubric).</summary>
    public static IReadOnlyList<SubjectiveItem> ReadSubjective(string path, string field, int? maxSamples)
    {
        try
        {
            return SubjectiveFile.Read(path, maxSamples);
        }
        catch (DatasetFormatException error)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
    }

    /// <summary>Classification records of a JSONL file (<c>{"text", "label"}</c>).</summary>
    public static IReadOnlyList<ClassificationRecord> ReadClassification(string path, string field, int? maxSamples)
    {
        try
        {
            var records = DatasetReader.ReadFile(path, DatasetFormat.Classification).Cast<ClassificationRecord>();
            return (maxSamples is { } max ? records.Take(max) : records).ToArray();
        }
        catch (DatasetFormatException error)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
    }

    /// <summary>Prompts and references of a chat (last assistant message) or instruction (output) JSONL file.</summary>
    public static IReadOnlyList<GenerationItem> ReadGeneration(string path, string field, int? maxSamples)
    {
        try
        {
            var items = new List<GenerationItem>();
            foreach (var (record, index) in DatasetReader.ReadFile(path, InferJsonl(path)).Select((r, i) => (r, i)))
            {
                if (maxSamples is { } max && items.Count >= max)
                {
                    break;
                }

                var id = string.Create(CultureInfo.InvariantCulture, $"line-{index + 1}");
                var item = record switch
                {
                    ChatRecord chat => GenerationMeasurement.FromConversation(id, [.. chat.Messages.Select(m => new ML.Tokenization.ChatMessage(m.RoleName, m.Content))]),
                    InstructionRecord instruction => new GenerationItem(id, [new ML.Tokenization.ChatMessage("user", string.IsNullOrEmpty(instruction.Input) ? instruction.Instruction : instruction.Instruction + "\n" + instruction.Input)], instruction.Output),
                    _ => throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {Path.GetFileName(path)}: a generation suite needs chat or instruction records, found {record.Format}"),
                };
                items.Add(item ?? throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {Path.GetFileName(path)}:{index + 1}: the conversation has no assistant reply after a prompt"));
            }

            return items;
        }
        catch (DatasetFormatException error)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
    }

    /// <summary>Feature rows of a CSV file whose <c>label</c> column is the class and every other column a number.</summary>
    public static (IReadOnlyList<float[]> Features, IReadOnlyList<string> Labels) ReadFeatureCsv(string path, string field, int? maxSamples)
    {
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {Path.GetFileName(path)} needs a header and at least one row");
        }

        var header = lines[0].Split(',');
        var labelColumn = Array.IndexOf(header, "label");
        if (labelColumn < 0)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {Path.GetFileName(path)}:1: no 'label' column");
        }

        var features = new List<float[]>();
        var labels = new List<string>();
        for (var line = 1; line < lines.Length && (maxSamples is not { } max || features.Count < max); line++)
        {
            var cells = lines[line].Split(',');
            if (cells.Length != header.Length)
            {
                throw new JobFailureException(ConditionReasons.DatasetInvalid, string.Create(CultureInfo.InvariantCulture, $"{field}: {Path.GetFileName(path)}:{line + 1}: {cells.Length} cells, the header has {header.Length}"));
            }

            var row = new float[header.Length - 1];
            var at = 0;
            for (var c = 0; c < cells.Length; c++)
            {
                if (c == labelColumn)
                {
                    continue;
                }

                row[at++] = float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new JobFailureException(ConditionReasons.DatasetInvalid, string.Create(CultureInfo.InvariantCulture, $"{field}: {Path.GetFileName(path)}:{line + 1}: column '{header[c]}' is not a number: '{cells[c]}'"));
            }

            features.Add(row);
            labels.Add(cells[labelColumn]);
        }

        return (features, labels);
    }

    /// <summary>The content texts of every record of a training file (format inferred from the first record's fields).</summary>
    public static IReadOnlyList<IEnumerable<string>> ReadContent(string path, string? format, string field)
    {
        try
        {
            var parsed = format is { Length: > 0 } name && name != "csv"
                ? DatasetFormatNames.Parse(name, field + ".format")
                : DatasetReader.DetectFileType(path) == DatasetFileType.Csv ? DatasetReader.InferCsvFormat(path) : InferJsonl(path);
            return DatasetReader.ReadFile(path, parsed).Select(r => (IEnumerable<string>)r.TextFields.ToArray()).ToArray();
        }
        catch (DatasetFormatException error)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
        catch (DatasetOptionsException error)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}: {error.Message}", error);
        }
    }

    private static DatasetFormat InferJsonl(string path)
    {
        var first = File.ReadLines(path).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "{}";
        using var document = JsonDocument.Parse(first);
        bool Has(string name) => document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out _);
        return Has("messages") ? DatasetFormat.Chat
            : Has("question") ? DatasetFormat.MultipleChoice
            : Has("instruction") ? DatasetFormat.Instruction
            : Has("label") ? DatasetFormat.Classification
            : DatasetFormat.Text;
    }
}
