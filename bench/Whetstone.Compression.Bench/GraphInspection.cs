using Microsoft.ML.OnnxRuntime;
using Whetstone.ML.Models;

namespace Whetstone.Compression.Bench;

/// <summary>
/// What ONNX Runtime really runs: the graph after its optimizations (the same level the model runtime opens sessions
/// with), saved by ONNX Runtime itself and counted by operator type; and a Llama's matmul FLOPs from its config.
/// </summary>
internal static class GraphInspection
{
    /// <summary>Operator types of the optimized graph and how many nodes of each.</summary>
    public static IReadOnlyDictionary<string, int> OptimizedOperators(string onnxDirectory, string scratch)
    {
        Directory.CreateDirectory(scratch);
        var optimized = Path.Combine(scratch, "model.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1, OptimizedModelFilePath = optimized })
        using (new InferenceSession(Path.Combine(onnxDirectory, "model.onnx"), options))
        {
        }
        var model = OnnxModels.Load(scratch);
        return model.Graph.Node.GroupBy(n => string.IsNullOrEmpty(n.Domain) ? n.OpType : $"{n.Domain}.{n.OpType}")
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>Multiply-accumulate FLOPs (2 per multiply-add) of the projections and the output layer per token.</summary>
    public static long MatMulFlopsPerToken(string llamaDirectory)
    {
        var config = LlamaConfig.Load(Path.Combine(llamaDirectory, LlamaCheckpoint.ConfigFileName));
        long hidden = config.HiddenSize;
        long headDim = config.HeadDim ?? config.HiddenSize / config.NumAttentionHeads;
        long queries = config.NumAttentionHeads * headDim;
        long keyValues = (config.NumKeyValueHeads ?? config.NumAttentionHeads) * headDim;
        var perLayer = hidden * queries + 2 * hidden * keyValues + queries * hidden + 3 * hidden * config.IntermediateSize;
        return 2 * (config.NumHiddenLayers * perLayer + hidden * config.VocabSize);
    }
}
