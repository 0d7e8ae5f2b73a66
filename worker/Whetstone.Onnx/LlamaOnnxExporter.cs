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
    private readonly LlamaConfig config;
    private readonly SafetensorsReader weights;
    private readonly OnnxGraphBuilder graph = new("whetstone_llama");
    private readonly int heads;
    private readonly int keyValueHeads;
    private readonly int headDim;

    private LlamaOnnxExporter(LlamaConfig config, SafetensorsReader weights)
    {
        this.config = config;
        this.weights = weights;
        heads = config.NumAttentionHeads;
        keyValueHeads = config.KeyValueHeads;
        headDim = config.AttentionHeadDim;
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
        var ids = graph.Input("input_ids", DataType.Int64, "batch", "sequence");
        var mask = graph.Input("attention_mask", DataType.Int64, "batch", "total_sequence");
        var pastLength = graph.Op("Sub", Dimension(mask, 1), Dimension(ids, 1));
        var total = Dimension(mask, 1);
        var (cos, sin) = Rotary(mask, pastLength, total);
        var bias = AttentionBias(mask, pastLength, total);

        var hidden = graph.Op("Gather", EmbeddingWeight(), ids);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            hidden = DecoderLayer(hidden, layer, cos, sin, bias, options.IncludePast);
        }
        hidden = RmsNorm(hidden, "model.norm.weight");
        var logits = graph.Op("MatMul", hidden, OutputWeight());
        graph.Output("logits", logits, DataType.Float, "batch", "sequence", config.VocabSize);
        return graph.Build(options.Opset, typeof(LlamaOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0");
    }

    // Positions of the new tokens: the running count of real tokens minus one (0 for padding), last `sequence` columns.
    private (string Cos, string Sin) Rotary(string mask, string pastLength, string total)
    {
        var counted = graph.Op("Sub", graph.Op("CumSum", mask, graph.Int64s([1], [])), graph.Int64s([1], []));
        var positions = graph.Op("Max", counted, graph.Int64s([0], []));
        var newPositions = graph.Op("Slice", positions, pastLength, total, graph.Int64s([1]));
        var angles = graph.Op("Mul",
            graph.Op("Unsqueeze", graph.Op("Cast", [newPositions], OnnxGraphBuilder.Int("to", (long)DataType.Float)), graph.Int64s([-1])),
            graph.Weight("rotary.inverse_frequencies", InverseFrequencies(), headDim / 2));
        var doubled = graph.Op("Concat", [angles, angles], OnnxGraphBuilder.Int("axis", -1));
        var headAxis = graph.Int64s([1]);
        return (graph.Op("Unsqueeze", graph.Op("Cos", doubled), headAxis), graph.Op("Unsqueeze", graph.Op("Sin", doubled), headAxis));
    }

    // [batch, 1, sequence, total] additive bias: 0 where a query may attend (causal and a real key, or itself), -inf elsewhere.
    private string AttentionBias(string mask, string pastLength, string total)
    {
        var zero = graph.Int64s([0], []);
        var one = graph.Int64s([1], []);
        var totalScalar = graph.Op("Squeeze", total, graph.Int64s([0]));
        var keyPositions = graph.Op("Unsqueeze", graph.Op("Range", zero, totalScalar, one), graph.Int64s([0]));
        var queryPositions = graph.Op("Unsqueeze", graph.Op("Range", graph.Op("Squeeze", pastLength, graph.Int64s([0])), totalScalar, one), graph.Int64s([1]));
        var causal = graph.Op("LessOrEqual", keyPositions, queryPositions);
        var self = graph.Op("Equal", keyPositions, queryPositions);
        var keyIsReal = graph.Op("Unsqueeze", graph.Op("Cast", [mask], OnnxGraphBuilder.Int("to", (long)DataType.Bool)), graph.Int64s([1, 2]));
        var allowed = graph.Op("Or", graph.Op("And", causal, keyIsReal), self);
        return graph.Op("Where", allowed, graph.Scalar(0f), graph.Scalar(float.NegativeInfinity));
    }

    // The size of one dimension as a 1-D int64 tensor of one element.
    private string Dimension(string value, long axis) => graph.Op("Gather", graph.Op("Shape", value), graph.Int64s([axis]));

    private float[] InverseFrequencies() =>
        [.. Enumerable.Range(0, headDim / 2).Select(i => (float)(1.0 / Math.Pow(config.RopeTheta, (float)(2 * i) / headDim)))];

    private string EmbeddingWeight() => Tensor("model.embed_tokens.weight", transpose: false);

    private string OutputWeight() =>
        config.TieWordEmbeddings || !weights.Tensors.ContainsKey("lm_head.weight")
            ? graph.Op("Transpose", [EmbeddingWeight()], OnnxGraphBuilder.Ints("perm", 1, 0))
            : Tensor("lm_head.weight", transpose: true);

    private readonly Dictionary<string, string> added = [];

    // A weight from the checkpoint, float32, transposed for x @ W^T when it is a projection.
    private string Tensor(string name, bool transpose)
    {
        var key = name + (transpose ? ".T" : "");
        if (added.TryGetValue(key, out var existing))
        {
            return existing;
        }
        if (!weights.Tensors.ContainsKey(name))
        {
            throw new ModelFormatException($"{weights.Path}: tensor {name} is missing");
        }
        using var scope = NewDisposeScope();
        var value = weights.ReadTensor(name).to(ScalarType.Float32);
        if (transpose)
        {
            value = value.t();
        }
        value = value.contiguous();
        added[key] = graph.Weight(key, value.data<float>().ToArray(), value.shape);
        return added[key];
    }

    private bool Has(string name) => weights.Tensors.ContainsKey(name);
}
