using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Whetstone.Datasets;

/// <summary>
/// manifest.json of a prepared version: format version, record format, and for each split file (train,
/// validation, test, in that order) its name, record count, size and SHA-256. The dataset digest is the SHA-256 of
/// the manifest's exact bytes, so it covers every split file and nothing that varies between runs (no times,
/// no paths, no counts of dropped records).
/// </summary>
public static class DatasetManifest
{
    /// <summary>Version of this layout; part of the digest.</summary>
    public const int FormatVersion = 1;

    /// <summary>The manifest bytes (indented JSON, LF line ends, trailing newline).</summary>
    public static byte[] Build(DatasetFormat format, IEnumerable<PreparedSplit> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", FormatVersion);
            writer.WriteString("format", format.ToName());
            writer.WriteStartArray("files");
            foreach (var split in splits)
            {
                writer.WriteStartObject();
                writer.WriteString("name", split.FileName);
                writer.WriteNumber("records", split.Records.Count);
                writer.WriteNumber("sizeBytes", split.SizeBytes);
                writer.WriteString("digest", split.Digest);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>The digest of manifest bytes: <c>sha256:&lt;hex&gt;</c>.</summary>
    public static string DigestOf(ReadOnlySpan<byte> manifest) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest));
}
