using System.Text.Json;
using Onnx;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Whetstone.Onnx;

/// <summary>
/// Writes a classifier directory (<see cref="ClassifierConfig"/>) as ONNX: input <c>features</c> [batch, inputs]
/// float32, (x - mean) / scale, Gemm + Relu per hidden layer, Gemm, output <c>logits</c> [batch, classes].
/// </summary>
public static class ClassifierOnnxExporter
{
    /// <summary>Builds the ONNX model of the classifier directory <paramref name="source"/>.</summary>
    public static ModelProto Build(string source, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configPath = Path.Combine(source, LlamaCheckpoint.ConfigFileName);
        var config = JsonSerializer.Deserialize<ClassifierConfig>(File.ReadAllText(configPath))
            ?? throw new ModelFormatException($"{configPath}: empty");
        using var weights = SafetensorsReader.Open(Path.Combine(source, LlamaCheckpoint.WeightsFileName));
        var graph = new OnnxGraphBuilder("whetstone_classifier");
        var features = graph.Input("features", DataType.Float, "batch", config.InputSize);
        var hidden = graph.Op("Div",
            graph.Op("Sub", features, graph.Weight("input_mean", [.. config.InputMean], config.InputSize)),
            graph.Weight("input_scale", [.. config.InputScale], config.InputSize));
        var layers = config.HiddenSizes.Count + 1;
        for (var i = 0; i < layers; i++)
        {
            hidden = graph.Op("Gemm",
                [hidden, Read(graph, weights, $"layers.{i}.weight"), Read(graph, weights, $"layers.{i}.bias")],
                OnnxGraphBuilder.Int("transB", 1));
            if (i < layers - 1)
            {
                hidden = graph.Op("Relu", hidden);
            }
        }
        graph.Output("logits", hidden, DataType.Float, "batch", config.Labels.Count);
        return graph.Build(options.Opset, typeof(ClassifierOnnxExporter).Assembly.GetName().Version?.ToString() ?? "0");
    }

    private static string Read(OnnxGraphBuilder graph, SafetensorsReader weights, string name)
    {
        if (!weights.Tensors.ContainsKey(name))
        {
            throw new ModelFormatException($"{weights.Path}: tensor {name} is missing");
        }
        using var scope = NewDisposeScope();
        var value = weights.ReadTensor(name).to(ScalarType.Float32).contiguous();
        return graph.Weight(name, value.data<float>().ToArray(), value.shape);
    }
}
