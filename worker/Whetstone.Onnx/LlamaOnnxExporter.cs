using Onnx;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Onnx;

/// <summary>
/// Writes a Llama-layout model (<c>config.json</c> + <c>model.safetensors</c>) as an ONNX graph: token embedding,
/// per layer RMSNorm → grouped-query attention with rotary positions → residual → RMSNorm → SwiGLU → residual,
/// final RMSNorm and the output layer (tied to the embedding or not). Inputs <c>input_ids</c> [batch, sequence]
/// and <c>attention_mask</c> [batch, past + sequence] (1 real, 0 padding, left or right); positions count real
/// tokens only, exactly as the TorchSharp model computes them. Output <c>logits</c> [batch, sequence, vocab].
/// </summary>
public sealed partial class LlamaOnnxExporter
{
    private readonly LlamaConfig _config;
    private readonly SafetensorsReader _weights;
    private readonly OnnxGraphBuilder _graph = new("whetstone_llama");
    private readonly int _heads;
    private readonly int _keyValueHeads;
    private readonly int _headDim;

    private LlamaOnnxExporter(LlamaConfig config, SafetensorsReader weights)
    {
        this._config = config;
        this._weights = weights;
        _heads = config.NumAttentionHeads;
        _keyValueHeads = config.KeyValueHeads;
        _headDim = config.AttentionHeadDim;
    }

    /// <summary>Builds the ONNX model of the Llama directory <paramref name="source"/>.</summary>
    public static ModelProto Build(string source, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = LlamaConfig.Load(Path.Combine(source, LlamaCheckpoint.ConfigFileName));
        if (config.RopeScaling is { ValueKind: not System.Text.Json.JsonValueKind.Null })
        {
            throw new ModelFormatException($"{source}: rope_scaling is not supported by the ONNX exporter");
        }
        using var weights = SafetensorsReader.Open(Path.Combine(source, LlamaCheckpoint.WeightsFileName));
        return new LlamaOnnxExporter(config, weights).BuildGraph(options);
    }

    private ModelProto BuildGraph(OnnxExportOptions options)
    {
        var ids = _graph.Input("input_ids", DataType.Int64, "batch", "sequence");
        var mask = _graph.Input("attention_mask", DataType.Int64, "batch", "total_sequence");
        var pastLength = _graph.Op("Sub", Dimension(mask, 1), Dimension(ids, 1));
        var total = Dimension(mask, 1);
        var (cos, sin) = Rotary(mask, pastLength, total);
        var bias = AttentionBias(mask, pastLength, total);

        var hidden = _graph.Op("Gather", EmbeddingWeight(), ids);
        for (var layer = 0; layer < _config.NumHiddenLayers; layer++)
        {
            hidden = DecoderLayer(hidden, layer, cos, sin, bias, options.IncludePast);
        }
        hidden = RmsNorm(hidden, "model.norm.weight");
        var logits = _graph.Op("MatMul", hidden, OutputWeight());
        _graph.Output("logits", logits, DataType.Float, "batch", "sequence", _config.VocabSize);
        return _graph.Build(options.Opset, typeof(LlamaOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0");
    }

    // Positions of the new tokens: the running count of real tokens minus one (0 for padding), last `sequence` columns.
    private (string Cos, string Sin) Rotary(string mask, string pastLength, string total)
    {
        var counted = _graph.Op("Sub", _graph.Op("CumSum", mask, _graph.Int64s([1], [])), _graph.Int64s([1], []));
        var positions = _graph.Op("Max", counted, _graph.Int64s([0], []));
        var newPositions = _graph.Op("Slice", positions, pastLength, total, _graph.Int64s([1]));
        var angles = _graph.Op("Mul",
            _graph.Op("Unsqueeze", _graph.Op("Cast", [newPositions], OnnxGraphBuilder.Int("to", (long)DataType.Float)), _graph.Int64s([-1])),
            _graph.Weight("rotary.inverse_frequencies", InverseFrequencies(), _headDim / 2));
        var doubled = _graph.Op("Concat", [angles, angles], OnnxGraphBuilder.Int("axis", -1));
        var headAxis = _graph.Int64s([1]);
        return (_graph.Op("Unsqueeze", _graph.Op("Cos", doubled), headAxis), _graph.Op("Unsqueeze", _graph.Op("Sin", doubled), headAxis));
    }

    // [batch, 1, sequence, total] additive bias: 0 where a query may attend (causal and a real key, or itself), -inf elsewhere.
    private string AttentionBias(string mask, string pastLength, string total)
    {
        var zero = _graph.Int64s([0], []);
        var one = _graph.Int64s([1], []);
        var totalScalar = _graph.Op("Squeeze", total, _graph.Int64s([0]));
        var keyPositions = _graph.Op("Unsqueeze", _graph.Op("Range", zero, totalScalar, one), _graph.Int64s([0]));
        var queryPositions = _graph.Op("Unsqueeze", _graph.Op("Range", _graph.Op("Squeeze", pastLength, _graph.Int64s([0])), totalScalar, one), _graph.Int64s([1]));
        var causal = _graph.Op("LessOrEqual", keyPositions, queryPositions);
        var self = _graph.Op("Equal", keyPositions, queryPositions);
        var keyIsReal = _graph.Op("Unsqueeze", _graph.Op("Cast", [mask], OnnxGraphBuilder.Int("to", (long)DataType.Bool)), _graph.Int64s([1, 2]));
        var allowed = _graph.Op("Or", _graph.Op("And", causal, keyIsReal), self);
        return _graph.Op("Where", allowed, _graph.Scalar(0f), _graph.Scalar(float.NegativeInfinity));
    }

    // The size of one dimension as a 1-D int64 tensor of one element.
    private string Dimension(string value, long axis) => _graph.Op("Gather", _graph.Op("Shape", value), _graph.Int64s([axis]));

    private float[] InverseFrequencies() =>
        [.. Enumerable.Range(0, _headDim / 2).Select(i => (float)(1.0 / Math.Pow(_config.RopeTheta, (float)(2 * i) / _headDim)))];

    private string EmbeddingWeight() => Tensor("model.embed_tokens.weight", transpose: false);

    private string OutputWeight() =>
        _config.TieWordEmbeddings || !_weights.Tensors.ContainsKey("lm_head.weight")
            ? _graph.Op("Transpose", [EmbeddingWeight()], OnnxGraphBuilder.Ints("perm", 1, 0))
            : Tensor("lm_head.weight", transpose: true);

    private readonly Dictionary<string, string> _added = [];

    // A weight from the checkpoint, float32, transposed for x @ W^T when it is a projection.
    private string Tensor(string name, bool transpose)
    {
        var key = name + (transpose ? ".T" : "");
        if (_added.TryGetValue(key, out var existing))
        {
            return existing;
        }
        if (!_weights.Tensors.ContainsKey(name))
        {
            throw new ModelFormatException($"{_weights.Path}: tensor {name} is missing");
        }
        using var scope = NewDisposeScope();
        var value = _weights.ReadTensor(name).to(ScalarType.Float32);
        if (transpose)
        {
            value = value.t();
        }
        value = value.contiguous();
        _added[key] = _graph.Weight(key, value.data<float>().ToArray(), value.shape);
        return _added[key];
    }

    private bool Has(string name) => _weights.Tensors.ContainsKey(name);
}
