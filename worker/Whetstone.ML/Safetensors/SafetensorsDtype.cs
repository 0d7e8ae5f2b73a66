using static TorchSharp.torch;

namespace Whetstone.ML.Safetensors;

/// <summary>The element types a safetensors header names, and their torch equivalents.</summary>
public static class SafetensorsDtype
{
    private static readonly Dictionary<string, ScalarType> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = ScalarType.Float64,
        ["F32"] = ScalarType.Float32,
        ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64,
        ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16,
        ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte,
        ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>The torch type for a header dtype name such as "BF16"; false when unsupported.</summary>
    public static bool TryParse(string name, out ScalarType dtype) => ByName.TryGetValue(name, out dtype);

    /// <summary>The header dtype name for a torch type.</summary>
    public static string NameOf(ScalarType dtype)
    {
        foreach (var (name, type) in ByName)
        {
            if (type == dtype)
            {
                return name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "safetensors cannot hold this element type here");
    }

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "safetensors cannot hold this element type here"),
    };
}
