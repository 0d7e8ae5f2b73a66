using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Onnx;

/// <summary>The decoder layer's blocks as ONNX nodes.</summary>
public sealed partial class LlamaOnnxExporter
{
    private string DecoderLayer(string hidden, int layer, string cos, string sin, string bias, bool includePast)
    {
        var prefix = $"model.layers.{layer}";
        var attention = Attention(RmsNorm(hidden, $"{prefix}.input_layernorm.weight"), layer, cos, sin, bias, includePast);
        hidden = graph.Op("Add", hidden, attention);
        var mlp = Mlp(RmsNorm(hidden, $"{prefix}.post_attention_layernorm.weight"), $"{prefix}.mlp");
        return graph.Op("Add", hidden, mlp);
    }

    private string Attention(string input, int layer, string cos, string sin, string bias, bool includePast)
    {
        var prefix = $"model.layers.{layer}.self_attn";
        var queries = Rotate(Heads(Projection(input, $"{prefix}.q_proj"), heads), cos, sin);
        var keys = Rotate(Heads(Projection(input, $"{prefix}.k_proj"), keyValueHeads), cos, sin);
        var values = Heads(Projection(input, $"{prefix}.v_proj"), keyValueHeads);
        if (includePast)
        {
            var pastKeys = graph.Input($"past_key_values.{layer}.key", DataType.Float, "batch", keyValueHeads, "past_sequence", headDim);
            var pastValues = graph.Input($"past_key_values.{layer}.value", DataType.Float, "batch", keyValueHeads, "past_sequence", headDim);
            keys = graph.Op("Concat", [pastKeys, keys], OnnxGraphBuilder.Int("axis", 2));
            values = graph.Op("Concat", [pastValues, values], OnnxGraphBuilder.Int("axis", 2));
            graph.Output($"present.{layer}.key", keys, DataType.Float, "batch", keyValueHeads, "total_sequence", headDim);
            graph.Output($"present.{layer}.value", values, DataType.Float, "batch", keyValueHeads, "total_sequence", headDim);
            keys = $"present.{layer}.key";
            values = $"present.{layer}.value";
        }
        var scores = graph.Op("Mul",
            graph.Op("MatMul", queries, graph.Op("Transpose", [RepeatHeads(keys)], OnnxGraphBuilder.Ints("perm", 0, 1, 3, 2))),
            graph.Scalar((float)(1.0 / Math.Sqrt(headDim))));
        var probabilities = graph.Op("Softmax", [graph.Op("Add", scores, bias)], OnnxGraphBuilder.Int("axis", -1));
        var context = graph.Op("Transpose", [graph.Op("MatMul", probabilities, RepeatHeads(values))], OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3));
        var merged = graph.Op("Reshape", context, graph.Int64s([0, 0, heads * headDim]));
        return Projection(merged, $"{prefix}.o_proj");
    }

    private string Mlp(string input, string prefix)
    {
        var gate = Projection(input, $"{prefix}.gate_proj");
        var activated = graph.Op("Mul", gate, graph.Op("Sigmoid", gate));
        return Projection(graph.Op("Mul", activated, Projection(input, $"{prefix}.up_proj")), $"{prefix}.down_proj");
    }

    // x @ W^T (+ b when the checkpoint has a bias).
    private string Projection(string input, string prefix)
    {
        var output = graph.Op("MatMul", input, Tensor(prefix + ".weight", transpose: true));
        return Has(prefix + ".bias") ? graph.Op("Add", output, Tensor(prefix + ".bias", transpose: false)) : output;
    }

    // [batch, time, count * headDim] -> [batch, count, time, headDim]
    private string Heads(string projected, int count) =>
        graph.Op("Transpose", [graph.Op("Reshape", projected, graph.Int64s([0, 0, count, headDim]))], OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3));

    // Grouped-query attention: each key/value head serves heads / keyValueHeads query heads.
    private string RepeatHeads(string states)
    {
        var groups = heads / keyValueHeads;
        if (groups == 1)
        {
            return states;
        }
        var expanded = graph.Op("Expand", graph.Op("Unsqueeze", states, graph.Int64s([2])), graph.Int64s([1, 1, groups, 1, 1]));
        return graph.Op("Reshape", expanded, graph.Int64s([0, heads, -1, headDim]));
    }

    // x * cos + rotate_half(x) * sin, with rotate_half(x) = concat(-x[..., half:], x[..., :half]).
    private string Rotate(string states, string cos, string sin)
    {
        var half = headDim / 2;
        var last = graph.Int64s([-1]);
        var first = graph.Op("Slice", states, graph.Int64s([0]), graph.Int64s([half]), last);
        var second = graph.Op("Slice", states, graph.Int64s([half]), graph.Int64s([headDim]), last);
        var rotated = graph.Op("Concat", [graph.Op("Neg", second), first], OnnxGraphBuilder.Int("axis", -1));
        return graph.Op("Add", graph.Op("Mul", states, cos), graph.Op("Mul", rotated, sin));
    }

    // weight * x / sqrt(mean(x^2) + eps), over the last axis.
    private string RmsNorm(string input, string weightName)
    {
        var meanSquare = graph.Op("ReduceMean", [graph.Op("Mul", input, input)], OnnxGraphBuilder.Ints("axes", -1), OnnxGraphBuilder.Int("keepdims", 1));
        var scale = graph.Op("Sqrt", graph.Op("Add", meanSquare, graph.Scalar((float)config.RmsNormEps)));
        return graph.Op("Mul", graph.Op("Div", input, scale), Tensor(weightName, transpose: false));
    }
}
