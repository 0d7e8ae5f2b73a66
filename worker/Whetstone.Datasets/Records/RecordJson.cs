using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Whetstone.Datasets.Records;

/// <summary>
/// The canonical serialization of records: compact JSON, fixed property order, non-ASCII text written as UTF-8
/// (not escaped), one record per line ending in <c>\n</c>. The same record always gives the same bytes.
/// </summary>
public static class RecordJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>The canonical JSON of <paramref name="record"/> as UTF-8 bytes, without a line end.</summary>
    public static byte[] ToUtf8(DatasetRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            record.WriteJson(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The canonical JSON of <paramref name="record"/> as a string, without a line end.</summary>
    public static string ToJson(DatasetRecord record) => System.Text.Encoding.UTF8.GetString(ToUtf8(record));

    /// <summary>Writes <paramref name="records"/> as JSONL (each line ends with <c>\n</c>).</summary>
    public static void WriteJsonl(Stream stream, IEnumerable<DatasetRecord> records)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            stream.Write(ToUtf8(record));
            stream.WriteByte((byte)'\n');
        }
    }
}
