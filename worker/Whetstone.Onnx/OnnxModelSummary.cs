using Google.Protobuf;
using Onnx;
using Whetstone.ML.Models;

namespace Whetstone.Onnx;

/// <summary>What an ONNX file holds, read through the protobuf schema before any runtime touches it.</summary>
/// <param name="Parameters">Elements in all initializers.</param>
/// <param name="WeightBytes">Bytes of the graph file plus its external data file.</param>
/// <param name="Inputs">Graph input names.</param>
/// <param name="Outputs">Graph output names.</param>
/// <param name="Opset">Default-domain opset.</param>
public sealed record OnnxModelSummary(long Parameters, long WeightBytes, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, long Opset)
{
    /// <summary>
    /// Parses <paramref name="path"/> and checks that its external data files exist and are long enough; a truncated
    /// or corrupt file is a <see cref="ModelFormatException"/> naming it, never a native crash later.
    /// </summary>
    public static OnnxModelSummary Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"{path}: missing");
        }
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelFormatException($"{path}: not a valid ONNX model ({e.Message})", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.Graph.Output.Count == 0)
        {
            throw new ModelFormatException($"{path}: the ONNX model has no graph (truncated or not an ONNX file)");
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var externalBytes = CheckExternalData(model, directory, path);
        var parameters = model.Graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (a, b) => a * b));
        return new OnnxModelSummary(
            parameters,
            new FileInfo(path).Length + externalBytes,
            [.. model.Graph.Input.Select(i => i.Name)],
            [.. model.Graph.Output.Select(o => o.Name)],
            model.OpsetImport.FirstOrDefault(o => o.Domain.Length == 0)?.Version ?? 0);
    }

    private static long CheckExternalData(ModelProto model, string directory, string path)
    {
        var lengths = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tensor in model.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External))
        {
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            var location = entries.GetValueOrDefault("location") ?? throw new ModelFormatException($"{path}: tensor {tensor.Name} has external data without a location");
            var file = Path.Combine(directory, location);
            if (!lengths.TryGetValue(file, out var length))
            {
                length = File.Exists(file) ? new FileInfo(file).Length : throw new ModelFormatException($"{file}: missing (external data of {path})");
                lengths[file] = length;
            }
            var end = long.Parse(entries.GetValueOrDefault("offset", "0"), System.Globalization.CultureInfo.InvariantCulture) +
                long.Parse(entries.GetValueOrDefault("length", "0"), System.Globalization.CultureInfo.InvariantCulture);
            if (end > length)
            {
                throw new ModelFormatException($"{file}: truncated: tensor {tensor.Name} ends at byte {end} of {length}");
            }
        }
        return lengths.Values.Sum();
    }
}
