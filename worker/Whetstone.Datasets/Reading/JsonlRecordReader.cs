using System.Text;
using System.Text.Json;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Reading;

/// <summary>Reads JSONL one line at a time; blank lines are not records and are passed over.</summary>
internal static class JsonlRecordReader
{
    public static IEnumerable<DatasetRecord> Read(
        TextReader reader, string fileName, DatasetFormat format, CancellationToken cancellationToken)
    {
        long lineNumber = 0;
        while (ReadLine(reader, fileName, lineNumber + 1) is { } line)
        {
            lineNumber++;
            cancellationToken.ThrowIfCancellationRequested();
            if (lineNumber == 1 && line.StartsWith('\uFEFF'))
            {
                line = line[1..]; // a byte order mark that reached us as text
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ParseLine(line, fileName, lineNumber, format);
        }
    }

    private static DatasetRecord ParseLine(string line, string fileName, long lineNumber, DatasetFormat format)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return JsonRecordParser.Parse(document.RootElement, format);
        }
        catch (JsonException exception)
        {
            throw new DatasetFormatException(fileName, lineNumber, DescribeJsonError(exception), exception);
        }
        catch (RecordFieldException exception)
        {
            throw new DatasetFormatException(fileName, lineNumber, exception.Message, exception);
        }
    }

    internal static string DescribeJsonError(JsonException exception)
    {
        // System.Text.Json appends " Path: … | LineNumber: … | BytePositionInLine: …"; we say it our way.
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        var problem = cut >= 0 ? message[..cut] : message;
        return exception.BytePositionInLine is { } position
            ? $"invalid JSON at byte {position + 1}: {problem}"
            : $"invalid JSON: {problem}";
    }

    private static string? ReadLine(TextReader reader, string fileName, long lineNumber)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (DecoderFallbackException exception)
        {
            throw new DatasetFormatException(fileName, lineNumber, "the file is not valid UTF-8", exception);
        }
    }
}
