using static TorchSharp.torch;

namespace Whetstone.ML.Safetensors;

/// <summary>One tensor's entry in a safetensors header: element type, shape and byte range within the data section.</summary>
public sealed record SafetensorsTensorInfo(string Name, ScalarType Dtype, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, size) => product * size);

    /// <summary>Number of bytes in the data section.</summary>
    public long ByteLength => End - Begin;
}
