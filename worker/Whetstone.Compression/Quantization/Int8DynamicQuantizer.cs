using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Compression.Quantization;

/// <summary>
/// INT8 dynamic quantization on the ONNX graph. Every MatMul / Gemm whose right operand is a float initializer
/// becomes <c>DynamicQuantizeLinear(x) → MatMulInteger(x_q, W_q, x_zero_point) → Cast → Mul(x_scale · w_scale)</c>:
/// weights symmetric int8 (per output channel by default), activations quantized to uint8 at run time, each
/// row of the batch with the tensor's range. These are standard ONNX operators; ONNX Runtime fuses the pattern
/// into its <c>DynamicQuantizeMatMul</c> kernel (VNNI on x86 CPUs that have it). The rewritten layer writes the
/// original node's output tensor, so layer-by-layer comparison finds every layer under the same name.
/// </summary>
public static class Int8DynamicQuantizer
{
    /// <summary>Quantizes a copy of <paramref name="model"/>.</summary>
    public static QuantizedGraph Quantize(ModelProto model, QuantizationOptions options) =>
        Rewrite(model, options, null);

    /// <summary>
    /// The shared rewrite: with <paramref name="activationRanges"/> null, dynamic; otherwise static QDQ, each layer's
    /// input quantized with its calibrated range (layers whose input has no range stay FP32).
    /// </summary>
    internal static QuantizedGraph Rewrite(ModelProto model, QuantizationOptions options, IReadOnlyDictionary<string, (float Min, float Max)>? activationRanges)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var copy = model.Clone();
        var graph = copy.Graph;
        var patterns = options.Exclude.Select(p => new NamePattern(p)).ToList();
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var consumers = graph.Node.SelectMany(n => n.Input).GroupBy(i => i, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var quantized = new List<string>();
        var excluded = new List<string>();
        var weightOnly = new List<string>();
        var nodes = new List<NodeProto>();
        var quantizedWeights = new Dictionary<string, (string Codes, string Scale)>(StringComparer.Ordinal);
        var unusedFloats = new HashSet<string>(StringComparer.Ordinal);

        foreach (var node in graph.Node)
        {
            var weightName = node.Input.Count > 1 ? node.Input[1] : null;
            var candidate = node.OpType is "MatMul" or "Gemm" && weightName is not null
                && initializers.TryGetValue(weightName, out var weight) && weight.DataType == (int)DataType.Float && weight.Dims.Count == 2
                && (node.OpType == "MatMul" || IsPlainGemm(node));
            if (!candidate || (activationRanges is not null && !activationRanges.ContainsKey(node.Input[0])))
            {
                nodes.Add(node);
                continue;
            }
            if (patterns.Any(p => p.Matches(weightName, node.Name)))
            {
                excluded.Add(weightName!);
                nodes.Add(node);
                continue;
            }
            var transposed = node.OpType == "Gemm" && node.Attribute.Any(a => a.Name == "transB" && a.I == 1);
            if (!quantizedWeights.TryGetValue(weightName! + (transposed ? "^T" : ""), out var stored))
            {
                stored = AddQuantizedWeight(graph, initializers[weightName!], transposed, options.PerChannel);
                quantizedWeights[weightName! + (transposed ? "^T" : "")] = stored;
            }
            nodes.AddRange(activationRanges is null ? QuantizedMatMul(node, stored) : Int8StaticQuantizer.QdqMatMul(graph, node, stored, activationRanges[node.Input[0]]));
            quantized.Add(weightName!);
            consumers[weightName!]--;
            if (consumers[weightName!] == 0)
            {
                unusedFloats.Add(weightName!);
            }
        }

        if (options.QuantizeEmbeddings)
        {
            foreach (var table in EmbeddingTables(graph, nodes, initializers).ToList())
            {
                if (patterns.Any(p => p.Matches(table.Name)))
                {
                    excluded.Add(table.Name);
                    continue;
                }
                nodes.Insert(0, WeightOnlyEmbedding(graph, table));
                unusedFloats.Add(table.Name);
                weightOnly.Add(table.Name);
            }
        }

        foreach (var name in unusedFloats)
        {
            graph.Initializer.Remove(initializers[name]);
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        EnsureOpset(copy, "", 13);
        var activations = activationRanges is null ? "activations uint8 at run time" : "activations uint8 with calibrated ranges, QDQ";
        var notes = $"int8 {(activationRanges is null ? "dynamic" : "static")}: {quantized.Count} MatMul/Gemm layers int8 (weights {(options.PerChannel ? "per output channel" : "per tensor")}, symmetric; {activations}), "
            + $"{weightOnly.Count} embedding table(s) int8 weight-only, {excluded.Count} layer(s) kept FP32 by exclusion";
        return new QuantizedGraph(copy, quantized, excluded, weightOnly, notes);
    }

    private static bool IsPlainGemm(NodeProto node) =>
        node.Attribute.All(a => a.Name switch
        {
            "alpha" or "beta" => Math.Abs(a.F - 1f) < 1e-12,
            "transA" => a.I == 0,
            _ => true,
        });

    private static (string Codes, string Scale) AddQuantizedWeight(GraphProto graph, TensorProto weight, bool transposed, bool perChannel)
    {
        var values = OnnxModels.ReadFloats(weight);
        var rows = (int)weight.Dims[0];
        var columns = (int)weight.Dims[1];
        if (transposed)
        {
            values = Transpose(values, rows, columns);
            (rows, columns) = (columns, rows);
        }
        var baseName = weight.Name + (transposed ? ".T" : "");
        var codesName = baseName + "_quantized";
        var scaleName = baseName + "_scale";
        if (perChannel)
        {
            var (codes, scales) = SymmetricInt8.QuantizePerColumn(values, rows, columns);
            graph.Initializer.Add(OnnxModels.Int8s(codesName, codes, rows, columns));
            graph.Initializer.Add(OnnxModels.Floats(scaleName, scales, columns));
        }
        else
        {
            var (codes, scale) = SymmetricInt8.QuantizePerTensor(values);
            graph.Initializer.Add(OnnxModels.Int8s(codesName, codes, rows, columns));
            graph.Initializer.Add(OnnxModels.Floats(scaleName, [scale]));
        }
        return (codesName, scaleName);
    }

    private static IEnumerable<NodeProto> QuantizedMatMul(NodeProto node, (string Codes, string Scale) weight)
    {
        var output = node.Output[0];
        var hasBias = node.OpType == "Gemm" && node.Input.Count > 2 && node.Input[2].Length > 0;
        var product = hasBias ? output + "_matmul" : output;
        var prefix = output + "_dq";
        yield return Node("DynamicQuantizeLinear", prefix + "/DynamicQuantizeLinear", [node.Input[0]], [prefix + "_x", prefix + "_x_scale", prefix + "_x_zero_point"]);
        yield return Node("MatMulInteger", prefix + "/MatMulInteger", [prefix + "_x", weight.Codes, prefix + "_x_zero_point"], [prefix + "_int32"]);
        var cast = Node("Cast", prefix + "/Cast", [prefix + "_int32"], [prefix + "_float"]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)DataType.Float });
        yield return cast;
        yield return Node("Mul", prefix + "/Scale", [prefix + "_x_scale", weight.Scale], [prefix + "_scale"]);
        yield return Node("Mul", prefix + "/Rescale", [prefix + "_float", prefix + "_scale"], [product]);
        if (hasBias)
        {
            yield return Node("Add", prefix + "/Bias", [product, node.Input[2]], [output]);
        }
    }

    // Float 2-D initializers read by a Gather as its data (input 0): embedding tables.
    private static IEnumerable<TensorProto> EmbeddingTables(GraphProto graph, List<NodeProto> nodes, Dictionary<string, TensorProto> initializers) =>
        nodes.Where(n => n.OpType == "Gather" && initializers.ContainsKey(n.Input[0]))
            .Select(n => initializers[n.Input[0]])
            .Where(t => t.DataType == (int)DataType.Float && t.Dims.Count == 2 && graph.Initializer.Contains(t))
            .Distinct();

    private static NodeProto WeightOnlyEmbedding(GraphProto graph, TensorProto table)
    {
        var rows = (int)table.Dims[0];
        var columns = (int)table.Dims[1];
        var (codes, scales) = SymmetricInt8.QuantizePerRow(OnnxModels.ReadFloats(table), rows, columns);
        graph.Initializer.Add(OnnxModels.Int8s(table.Name + "_quantized", codes, rows, columns));
        graph.Initializer.Add(OnnxModels.Floats(table.Name + "_scale", scales, rows));
        graph.Initializer.Add(OnnxModels.Int8s(table.Name + "_zero_point", new sbyte[rows], rows));
        var node = Node("DequantizeLinear", table.Name + "/DequantizeLinear", [table.Name + "_quantized", table.Name + "_scale", table.Name + "_zero_point"], [table.Name]);
        node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        return node;
    }

    internal static NodeProto Node(string opType, string name, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    internal static void EnsureOpset(ModelProto model, string domain, long minimum)
    {
        var import = model.OpsetImport.FirstOrDefault(o => o.Domain == domain);
        if (import is null)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = minimum });
        }
        else if (import.Version < minimum)
        {
            import.Version = minimum;
        }
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[c * rows + r] = values[r * columns + c];
            }
        }
        return result;
    }
}
