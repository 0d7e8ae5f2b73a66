using Onnx;

namespace Whetstone.Compression.Quantization;

/// <summary>Finds the matrix multiplications of a graph, in node order.</summary>
public static class MatMulLayers
{
    /// <summary>Every MatMul and Gemm of <paramref name="model"/>'s main graph.</summary>
    public static IReadOnlyList<MatMulLayer> Find(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var layers = new List<MatMulLayer>();
        foreach (var node in model.Graph.Node.Where(n => n.OpType is "MatMul" or "Gemm" or "MatMulInteger"))
        {
            var weight = node.Input.Count > 1 && initializers.Contains(node.Input[1]) ? node.Input[1] : null;
            layers.Add(new MatMulLayer(weight ?? node.Output[0], node.Name, node.Output[0], weight));
        }
        return layers;
    }
}
