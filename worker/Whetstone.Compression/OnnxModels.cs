using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using Whetstone.Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Compression;

/// <summary>Reads and writes ONNX models and their float initializers for the graph rewrites.</summary>
public static class OnnxModels
{
    /// <summary>Loads <c>model.onnx</c> of <paramref name="directory"/> with any external data pulled back inline.</summary>
    public static ModelProto Load(string directory)
    {
        var path = Path.Combine(directory, OnnxModelFiles.ModelFileName);
        OnnxModelSummary.Read(path);
        using var stream = File.OpenRead(path);
        var model = ModelProto.Parser.ParseFrom(stream);
        foreach (var tensor in model.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External))
        {
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            var offset = long.Parse(entries.GetValueOrDefault("offset") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            var length = int.Parse(entries["length"], System.Globalization.CultureInfo.InvariantCulture);
            using var data = File.OpenRead(Path.Combine(directory, entries["location"]));
            data.Seek(offset, SeekOrigin.Begin);
            var bytes = new byte[length];
            data.ReadExactly(bytes);
            tensor.RawData = ByteString.CopyFrom(bytes);
            tensor.ExternalData.Clear();
            tensor.DataLocation = TensorProto.Types.DataLocation.Default;
        }
        return model;
    }

    /// <summary>
    /// Writes <paramref name="model"/> as <c>model.onnx</c> into <paramref name="directory"/> (atomically, external
    /// data above 2 GB as the exporter does) and copies the tokenizer and config files of <paramref name="companionsFrom"/>.
    /// </summary>
    public static void Save(ModelProto model, string directory, string companionsFrom)
    {
        OnnxModelFiles.Write(model, directory, 1L << 31);
        OnnxModelFiles.CopyCompanions(companionsFrom, directory);
    }

    /// <summary>The float values of an initializer.</summary>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)DataType.Float)
        {
            throw new InvalidDataException($"initializer {tensor.Name} is {(DataType)tensor.DataType}, not float");
        }
        return tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray()
            : [.. tensor.FloatData];
    }

    /// <summary>A float initializer.</summary>
    public static TensorProto Floats(string name, float[] values, params long[] dimensions) =>
        Tensor(name, DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dimensions);

    /// <summary>An int8 initializer.</summary>
    public static TensorProto Int8s(string name, sbyte[] values, params long[] dimensions) =>
        Tensor(name, DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), dimensions);

    /// <summary>A float16 initializer (IEEE half, round to nearest even).</summary>
    public static TensorProto Halves(string name, float[] values, params long[] dimensions)
    {
        var halves = values.Select(v => (Half)v).ToArray();
        return Tensor(name, DataType.Float16, MemoryMarshal.AsBytes(halves.AsSpan()), dimensions);
    }

    /// <summary>Elements of a tensor with these dimensions.</summary>
    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (a, b) => a * b);

    private static TensorProto Tensor(string name, DataType type, ReadOnlySpan<byte> bytes, long[] dimensions)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dimensions);
        return tensor;
    }
}
