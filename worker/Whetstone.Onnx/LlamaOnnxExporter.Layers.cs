using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Onnx;

/// <summary>The decoder layer's blocks as ONNX nodes.</summary>
public sealed partial class LlamaOnnxExporter
{
    private string DecoderLayer(string hidden, int layer, string cos, string sin, string bias, bool includePast)
    {
        var prefix = $"model.layers.{layer}";
        var attention = Attention(RmsNorm(hidden, $"{prefix}.input_layernorm.weight"), layer, cos, sin, bias, includePast);
        hidden = _graph.Op("Add", hidden, attention);
        var mlp = Mlp(RmsNorm(hidden, $"{prefix}.post_attention_layernorm.weight"), $"{prefix}.mlp");
        return _graph.Op("Add", hidden, mlp);
    }

    private string Attention(string input, int layer, string cos, string sin, string bias, bool includePast)
    {
        var prefix = $"model.layers.{layer}.self_attn";
        var queries = Rotate(Heads(Projection(input, $"{prefix}.q_proj"), _heads), cos, sin);
        var keys = Rotate(Heads(Projection(input, $"{prefix}.k_proj"), _keyValueHeads), cos, sin);
        var values = Heads(Projection(input, $"{prefix}.v_proj"), _keyValueHeads);
        if (includePast)
        {
            var pastKeys = _graph.Input($"past_key_values.{layer}.key", DataType.Float, "batch", _keyValueHeads, "past_sequence", _headDim);
            var pastValues = _graph.Input($"past_key_values.{layer}.value", DataType.Float, "batch", _keyValueHeads, "past_sequence", _headDim);
            keys = _graph.Op("Concat", [pastKeys, keys], OnnxGraphBuilder.Int("axis", 2));
            values = _graph.Op("Concat", [pastValues, values], OnnxGraphBuilder.Int("axis", 2));
            _graph.Output($"present.{layer}.key", keys, DataType.Float, "batch", _keyValueHeads, "total_sequence", _headDim);
            _graph.Output($"present.{layer}.value", values, DataType.Float, "batch", _keyValueHeads, "total_sequence", _headDim);
            keys = $"present.{layer}.key";
            values = $"present.{layer}.value";
        }
        var scores = _graph.Op("Mul",
            _graph.Op("MatMul", queries, _graph.Op("Transpose", [RepeatHeads(keys)], OnnxGraphBuilder.Ints("perm", 0, 1, 3, 2))),
            _graph.Scalar((float)(1.0 / Math.Sqrt(_headDim))));
        var probabilities = _graph.Op("Softmax", [_graph.Op("Add", scores, bias)], OnnxGraphBuilder.Int("axis", -1));
        var context = _graph.Op("Transpose", [_graph.Op("MatMul", probabilities, RepeatHeads(values))], OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3));
        var merged = _graph.Op("Reshape", context, _graph.Int64s([0, 0, _heads * _headDim]));
        return Projection(merged, $"{prefix}.o_proj");
    }

    private string Mlp(string input, string prefix)
    {
        var gate = Projection(input, $"{prefix}.gate_proj");
        var activated = _graph.Op("Mul", gate, _graph.Op("Sigmoid", gate));
        return Projection(_graph.Op("Mul", activated, Projection(input, $"{prefix}.up_proj")), $"{prefix}.down_proj");
    }

    // x @ W^T (+ b when the checkpoint has a bias).
    private string Projection(string input, string prefix)
    {
        var output = _graph.Op("MatMul", input, Tensor(prefix + ".weight", transpose: true));
        return Has(prefix + ".bias") ? _graph.Op("Add", output, Tensor(prefix + ".bias", transpose: false)) : output;
    }

    // [batch, time, count * headDim] -> [batch, count, time, headDim]
    private string Heads(string projected, int count) =>
        _graph.Op("Transpose", [_graph.Op("Reshape", projected, _graph.Int64s([0, 0, count, _headDim]))], OnnxGraphBuilder.Ints("perm", 0, 2, 1, 3));

    // Grouped-query attention: each key/value head serves heads / keyValueHeads query heads.
    private string RepeatHeads(string states)
    {
        var groups = _heads / _keyValueHeads;
        if (groups == 1)
        {
            return states;
        }
        var expanded = _graph.Op("Expand", _graph.Op("Unsqueeze", states, _graph.Int64s([2])), _graph.Int64s([1, 1, groups, 1, 1]));
        return _graph.Op("Reshape", expanded, _graph.Int64s([0, _heads, -1, _headDim]));
    }

    // x * cos + rotate_half(x) * sin, with rotate_half(x) = concat(-x[..., half:], x[..., :half]).
    private string Rotate(string states, string cos, string sin)
    {
        var half = _headDim / 2;
        var last = _graph.Int64s([-1]);
        var first = _graph.Op("Slice", states, _graph.Int64s([0]), _graph.Int64s([half]), last);
        var second = _graph.Op("Slice", states, _graph.Int64s([half]), _graph.Int64s([_headDim]), last);
        var rotated = _graph.Op("Concat", [_graph.Op("Neg", second), first], OnnxGraphBuilder.Int("axis", -1));
        return _graph.Op("Add", _graph.Op("Mul", states, cos), _graph.Op("Mul", rotated, sin));
    }

    // weight * x / sqrt(mean(x^2) + eps), over the last axis.
    private string RmsNorm(string input, string weightName)
    {
        var meanSquare = _graph.Op("ReduceMean", [_graph.Op("Mul", input, input)], OnnxGraphBuilder.Ints("axes", -1), OnnxGraphBuilder.Int("keepdims", 1));
        var scale = _graph.Op("Sqrt", _graph.Op("Add", meanSquare, _graph.Scalar((float)_config.RmsNormEps)));
        return _graph.Op("Mul", _graph.Op("Div", input, scale), Tensor(weightName, transpose: false));
    }
}
