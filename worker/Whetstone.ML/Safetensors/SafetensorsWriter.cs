using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Whetstone.ML.Safetensors;

/// <summary>
/// Writes tensors to a safetensors file, one tensor at a time from its own memory. The file appears
/// complete or not at all (written beside, then renamed).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (in order, names unique) and optional header metadata to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = tensors.ToList();
        var header = BuildHeader(entries, metadata);
        var temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(prefix, header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var (_, tensor) in entries)
            {
                using var contiguous = tensor.detach().cpu().contiguous();
                if (contiguous.NumberOfElements > 0)
                {
                    stream.Write(contiguous.bytes);
                }
            }
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static byte[] BuildHeader(List<(string Name, Tensor Tensor)> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            var offset = 0L;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, tensor) in entries)
            {
                if (!seen.Add(name))
                {
                    throw new ArgumentException($"tensor name '{name}' appears twice", nameof(entries));
                }
                var length = tensor.NumberOfElements * SafetensorsDtype.SizeOf(tensor.dtype);
                json.WriteStartObject(name);
                json.WriteString("dtype", SafetensorsDtype.NameOf(tensor.dtype));
                json.WriteStartArray("shape");
                foreach (var size in tensor.shape)
                {
                    json.WriteNumberValue(size);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += length;
            }
            json.WriteEndObject();
        }
        // The data section starts 8-byte aligned, as the reference implementation pads it, with spaces.
        var header = buffer.ToArray();
        var padded = (header.Length + 7) / 8 * 8;
        var result = Enumerable.Repeat((byte)' ', padded).ToArray();
        header.CopyTo(result, 0);
        return result;
    }
}
