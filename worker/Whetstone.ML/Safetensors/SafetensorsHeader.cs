using System.Text.Json;

namespace Whetstone.ML.Safetensors;

/// <summary>Parses and checks the JSON header of a safetensors file.</summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    public static (IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(
        ReadOnlyMemory<byte> header, long dataLength, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: header is not valid JSON (line {(error.LineNumber ?? 0) + 1}): {error.Message}", error);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: header must be a JSON object");
            }
            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, path);
                    continue;
                }
                tensors[property.Name] = ReadTensorInfo(property.Name, property.Value, dataLength, path);
            }
            return (tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: {MetadataKey} must be an object of strings");
        }
        foreach (var entry in element.EnumerateObject())
        {
            metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw new InvalidDataException($"{path}: {MetadataKey}.{entry.Name} must be a string");
        }
    }

    private static SafetensorsTensorInfo ReadTensorInfo(string name, JsonElement element, long dataLength, string path)
    {
        string Where(string field) => $"{path}: tensor '{name}' {field}";
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("dtype", out var dtypeElement)
            || !element.TryGetProperty("shape", out var shapeElement)
            || !element.TryGetProperty("data_offsets", out var offsetsElement))
        {
            throw new InvalidDataException($"{path}: tensor '{name}' needs dtype, shape and data_offsets");
        }
        var dtypeName = dtypeElement.ValueKind == JsonValueKind.String ? dtypeElement.GetString()! : "";
        if (!SafetensorsDtype.TryParse(dtypeName, out var dtype))
        {
            throw new InvalidDataException(Where($"dtype '{dtypeName}' is not supported"));
        }
        var shape = ReadIntegers(shapeElement, Where("shape"));
        var offsets = ReadIntegers(offsetsElement, Where("data_offsets"));
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
        {
            throw new InvalidDataException(Where($"data_offsets [{string.Join(", ", offsets)}] fall outside the data section of {dataLength} bytes"));
        }
        var info = new SafetensorsTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
        var expected = info.ElementCount * SafetensorsDtype.SizeOf(dtype);
        if (info.ByteLength != expected)
        {
            throw new InvalidDataException(Where($"covers {info.ByteLength} bytes, but {dtypeName} [{string.Join(", ", shape)}] needs {expected}"));
        }
        return info;
    }

    private static long[] ReadIntegers(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{where} must be a list of integers");
        }
        var values = new List<long>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw new InvalidDataException($"{where} must be a list of non-negative integers");
            }
            values.Add(value);
        }
        return [.. values];
    }
}
