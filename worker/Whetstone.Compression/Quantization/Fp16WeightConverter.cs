using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Compression.Quantization;

/// <summary>
/// FP16 on the ONNX graph: every float weight initializer (of at least <see cref="MinimumElements"/> elements, not
/// excluded) is stored as float16 and cast back to float32 by a <c>Cast</c> node at the graph's edge, so inputs,
/// outputs and all arithmetic stay float32.
/// </summary>
/// <remarks>
/// Why storage only: ONNX Runtime's CPU execution provider has no float16 kernels for most operators this graph
/// uses (MatMul, Softmax, the rotary arithmetic), so a graph computing in float16 does not load there, and where it
/// would (a GPU) it needs a different build. The file halves; the speed is that of FP32 plus the casts (reported as
/// slower when it is). Excluded tensors and tiny ones (norm scales, constants) stay float32.
/// </remarks>
public static class Fp16WeightConverter
{
    /// <summary>Smaller float initializers (scalars, shape helpers, norm vectors) are left as they are.</summary>
    public const int MinimumElements = 256;

    /// <summary>Converts a copy of <paramref name="model"/>.</summary>
    public static QuantizedGraph Convert(ModelProto model, QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var copy = model.Clone();
        var graph = copy.Graph;
        var patterns = options.Exclude.Select(p => new NamePattern(p)).ToList();
        var converted = new List<string>();
        var excluded = new List<string>();
        var casts = new List<NodeProto>();
        foreach (var tensor in graph.Initializer.Where(t => t.DataType == (int)DataType.Float && OnnxModels.ElementCount(t) >= MinimumElements).ToList())
        {
            if (patterns.Any(p => p.Matches(tensor.Name)))
            {
                excluded.Add(tensor.Name);
                continue;
            }
            graph.Initializer.Remove(tensor);
            graph.Initializer.Add(OnnxModels.Halves(tensor.Name + "_fp16", OnnxModels.ReadFloats(tensor), [.. tensor.Dims]));
            var cast = Int8DynamicQuantizer.Node("Cast", tensor.Name + "/CastToFloat", [tensor.Name + "_fp16"], [tensor.Name]);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)DataType.Float });
            casts.Add(cast);
            converted.Add(tensor.Name);
        }
        var nodes = casts.Concat(graph.Node).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        return new QuantizedGraph(copy, [], excluded, converted,
            $"fp16: {converted.Count} weight tensors stored as float16 and cast to float32 in the graph; compute stays float32 on the CPU execution provider (no float16 kernels), so it is smaller but not faster");
    }
}
