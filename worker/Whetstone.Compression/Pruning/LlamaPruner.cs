using System.Text.RegularExpressions;
using Whetstone.ML.Models;
using Whetstone.ML.Safetensors;
using Whetstone.Onnx;
using static TorchSharp.torch;

namespace Whetstone.Compression.Pruning;

/// <summary>
/// Prunes a Llama model directory (<c>config.json</c> + <c>model.safetensors</c>) into a new directory that loads
/// through the normal model loader: unstructured magnitude pruning zeroes weights of the decoder projections (the file
/// keeps its dense shapes), structured pruning removes heads and MLP channels and rewrites <c>config.json</c>. The
/// token embedding (tied to the output layer in the shipped models) and the norms are never pruned.
/// </summary>
public static partial class LlamaPruner
{
    /// <summary>Prunes <paramref name="source"/> into <paramref name="destination"/> (created) and says what it did.</summary>
    public static PruneSummary Prune(string source, string destination, PruneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configPath = Path.Combine(source, LlamaCheckpoint.ConfigFileName);
        var config = LlamaConfig.Load(configPath);
        if (!ModelDtypes.TryParse(config.TorchDtype, out var dtype))
        {
            throw new ModelFormatException($"{configPath}: torch_dtype '{config.TorchDtype}' is not supported");
        }
        using var model = LlamaCheckpoint.Load(source, dtype: dtype);
        var parameters = model.named_parameters().Select(p => (p.name, Tensor: (Tensor)p.parameter)).ToList();
        var before = parameters.Sum(p => p.Tensor.numel());
        var projections = parameters.Where(p => IsProjection(p.name)).ToList();
        var projectionWeights = projections.Sum(p => p.Tensor.numel());
        Directory.CreateDirectory(destination);
        var weightsPath = Path.Combine(destination, LlamaCheckpoint.WeightsFileName);
        PruneSummary summary;
        if (!options.Structured)
        {
            var tensors = MagnitudePruner.Prune(projections, options.Sparsity, options.Scope);
            config.Save(Path.Combine(destination, LlamaCheckpoint.ConfigFileName));
            SafetensorsWriter.Write(weightsPath, parameters.Select(p => (p.name, p.Tensor)), new Dictionary<string, string> { ["format"] = "pt" });
            summary = new PruneSummary(false, options.Scope, options.Sparsity, before, before, projectionWeights, projectionWeights,
                tensors.Sum(t => t.Zeros), tensors, null);
        }
        else
        {
            var pruning = StructuredPruner.Prune(config, parameters.ToDictionary(p => p.name, p => p.Tensor, StringComparer.Ordinal), options.Sparsity);
            try
            {
                pruning.Config.Validate(configPath);
                pruning.Config.Save(Path.Combine(destination, LlamaCheckpoint.ConfigFileName));
                SafetensorsWriter.Write(weightsPath, pruning.Tensors, new Dictionary<string, string> { ["format"] = "pt" });
                var after = pruning.Tensors.Sum(t => t.Tensor.numel());
                var projectionsAfter = pruning.Tensors.Where(t => IsProjection(t.Name)).Sum(t => t.Tensor.numel());
                var zeros = pruning.Tensors.Where(t => IsProjection(t.Name)).Sum(t => MagnitudePruner.CountZeros(t.Tensor));
                summary = new PruneSummary(true, options.Scope, options.Sparsity, before, after, projectionWeights, projectionsAfter, zeros, [], pruning);
            }
            finally
            {
                var originals = parameters.Select(p => p.Tensor).ToHashSet(ReferenceEqualityComparer.Instance);
                foreach (var (_, tensor) in pruning.Tensors.Where(t => !originals.Contains(t.Tensor)))
                {
                    tensor.Dispose();
                }
            }
        }
        foreach (var companion in OnnxModelFiles.CompanionFiles.Where(f => f != LlamaCheckpoint.ConfigFileName))
        {
            var from = Path.Combine(source, companion);
            if (File.Exists(from))
            {
                File.Copy(from, Path.Combine(destination, companion), overwrite: true);
            }
        }
        return summary;
    }

    /// <summary>True for the weights pruning works on: the seven projections of every decoder layer.</summary>
    public static bool IsProjection(string name) => ProjectionName().IsMatch(name ?? "");

    [GeneratedRegex(@"^model\.layers\.\d+\.(self_attn\.(q|k|v|o)_proj|mlp\.(gate|up|down)_proj)\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex ProjectionName();
}
