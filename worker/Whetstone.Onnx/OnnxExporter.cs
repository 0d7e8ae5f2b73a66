using System.Text.Json.Nodes;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Models;

namespace Whetstone.Onnx;

/// <summary>Exports a model directory (Llama layout or classifier) to an ONNX directory.</summary>
public static class OnnxExporter
{
    /// <summary>
    /// Writes <c>model.onnx</c> (and <c>model.onnx.data</c> for large weights) plus the tokenizer and config files
    /// into <paramref name="output"/>. Refuses an output that already holds a model: an artifact is never overwritten.
    /// </summary>
    public static string Export(string source, string output, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        if (options.Opset is < 13 or > 17)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Opset, "the exporter writes opsets 13 to 17");
        }
        var configPath = Path.Combine(source, LlamaCheckpoint.ConfigFileName);
        if (!File.Exists(configPath))
        {
            throw new ModelFormatException($"{configPath}: missing (the exporter reads config.json and model.safetensors)");
        }
        if (File.Exists(Path.Combine(output, OnnxModelFiles.ModelFileName)))
        {
            throw new IOException($"{output}: already holds {OnnxModelFiles.ModelFileName}; choose an empty output directory");
        }
        var modelType = JsonNode.Parse(File.ReadAllText(configPath))?["model_type"]?.GetValue<string>();
        var model = modelType == ClassifierConfig.ModelTypeName
            ? ClassifierOnnxExporter.Build(source, options)
            : LlamaOnnxExporter.Build(source, options);
        OnnxModelFiles.Write(model, output, options.ExternalDataThresholdBytes);
        OnnxModelFiles.CopyCompanions(source, output);
        return Path.Combine(output, OnnxModelFiles.ModelFileName);
    }
}
