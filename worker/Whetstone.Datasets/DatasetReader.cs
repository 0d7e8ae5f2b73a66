using System.Text;
using Whetstone.Datasets.Reading;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets;

/// <summary>
/// Reads dataset files as a stream of typed records. A record that does not fit throws
/// <see cref="DatasetFormatException"/> with file, line and reason; nothing is skipped silently.
/// </summary>
public static class DatasetReader
{
    /// <summary>The file type from the extension: <c>.csv</c> is CSV, anything else (<c>.jsonl</c>, <c>.json</c>) JSONL.</summary>
    public static DatasetFileType DetectFileType(string path) =>
        string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase) ? DatasetFileType.Csv : DatasetFileType.Jsonl;

    /// <summary>Opens <paramref name="stream"/> as strict UTF-8 (a UTF-8 byte order mark is accepted and dropped).</summary>
    public static StreamReader OpenText(Stream stream) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);

    /// <summary>Reads records from <paramref name="reader"/> lazily; <paramref name="fileName"/> is used in error messages.</summary>
    public static IEnumerable<DatasetRecord> Read(
        TextReader reader, string fileName, DatasetFileType fileType, DatasetFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        return fileType == DatasetFileType.Csv
            ? CsvRecordReader.Read(reader, fileName, format, cancellationToken)
            : JsonlRecordReader.Read(reader, fileName, format, cancellationToken);
    }

    /// <summary>
    /// The record format of a CSV file, from its header (for api.md <c>format: csv</c>): messages or user+assistant
    /// is chat, instruction+output instruction, question+answer+A+B multipleChoice, text+label classification,
    /// text alone text.
    /// </summary>
    public static DatasetFormat InferCsvFormat(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = OpenText(File.OpenRead(path));
        return CsvRecordReader.InferFormat(reader, Path.GetFileName(path), cancellationToken);
    }

    /// <summary>The record format of CSV text read from <paramref name="reader"/>, from its header.</summary>
    public static DatasetFormat InferCsvFormat(TextReader reader, string fileName, CancellationToken cancellationToken = default) =>
        CsvRecordReader.InferFormat(reader, fileName, cancellationToken);

    /// <summary>Reads a file lazily; the file stays open until the enumeration ends.</summary>
    public static IEnumerable<DatasetRecord> ReadFile(
        string path, DatasetFormat format, DatasetFileType? fileType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = OpenText(File.OpenRead(path));
        foreach (var record in Read(reader, Path.GetFileName(path), fileType ?? DetectFileType(path), format, cancellationToken))
        {
            yield return record;
        }
    }
}
