using System.Globalization;
using Whetstone.ML.Models;
using static TorchSharp.torch;

namespace Whetstone.Compression.Pruning;

/// <summary>
/// Structured magnitude pruning of a Llama model: whole attention heads (query rows of <c>q_proj</c> with their
/// columns of <c>o_proj</c>, and with a whole group its <c>k_proj</c>/<c>v_proj</c> rows) and whole MLP
/// intermediate channels (rows of <c>gate_proj</c>/<c>up_proj</c>, columns of <c>down_proj</c>) are removed, so the
/// tensors and the configuration really shrink. Importance is the squared L2 norm of every weight that belongs to the
/// head or channel; the lowest go. Every layer keeps the same counts (the configuration has one count for all layers),
/// but each layer chooses its own heads and channels.
/// </summary>
public static class StructuredPruner
{
    /// <summary>
    /// The pruned configuration and tensors of <paramref name="config"/> / <paramref name="parameters"/> (named as in
    /// safetensors) with <paramref name="sparsity"/> of the heads and of the MLP channels removed per layer, as near as
    /// the head grouping allows. Tensors that are not pruned are returned as they are.
    /// </summary>
    public static StructuredPruning Prune(LlamaConfig config, IReadOnlyDictionary<string, Tensor> parameters, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parameters);
        if (double.IsNaN(sparsity) || sparsity < 0 || sparsity >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sparsity), sparsity, "sparsity must be in [0, 1)");
        }
        var layout = HeadLayout.Choose(config.NumAttentionHeads, config.KeyValueHeads, sparsity);
        var channels = Math.Max(1, config.IntermediateSize - (int)MagnitudePruner.Count(sparsity, config.IntermediateSize));
        var headDim = config.AttentionHeadDim;
        var pruned = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var keptHeads = new List<IReadOnlyList<int>>();
        var keptChannels = new List<IReadOnlyList<int>>();
        using var noGrad = no_grad();
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            using var layerScope = NewDisposeScope();
            string Name(string part) => string.Create(CultureInfo.InvariantCulture, $"model.layers.{layer}.{part}.weight");
            var q = Get(parameters, Name("self_attn.q_proj"));
            var k = Get(parameters, Name("self_attn.k_proj"));
            var v = Get(parameters, Name("self_attn.v_proj"));
            var o = Get(parameters, Name("self_attn.o_proj"));
            var (queryHeads, keyValueHeads) = ChooseHeads(q, k, v, o, config, layout);
            keptHeads.Add(queryHeads);
            var rows = HeadRows(queryHeads, headDim);
            var kvRows = HeadRows(keyValueHeads, headDim);
            pruned[Name("self_attn.q_proj")] = q.index_select(0, rows).MoveToOuterDisposeScope();
            pruned[Name("self_attn.o_proj")] = o.index_select(1, rows).MoveToOuterDisposeScope();
            pruned[Name("self_attn.k_proj")] = k.index_select(0, kvRows).MoveToOuterDisposeScope();
            pruned[Name("self_attn.v_proj")] = v.index_select(0, kvRows).MoveToOuterDisposeScope();
            var gate = Get(parameters, Name("mlp.gate_proj"));
            var up = Get(parameters, Name("mlp.up_proj"));
            var down = Get(parameters, Name("mlp.down_proj"));
            var kept = Top(SquaredRows(gate) + SquaredRows(up) + SquaredColumns(down), channels);
            keptChannels.Add([.. kept.data<long>().ToArray().Select(c => (int)c)]);
            pruned[Name("mlp.gate_proj")] = gate.index_select(0, kept).MoveToOuterDisposeScope();
            pruned[Name("mlp.up_proj")] = up.index_select(0, kept).MoveToOuterDisposeScope();
            pruned[Name("mlp.down_proj")] = down.index_select(1, kept).MoveToOuterDisposeScope();
        }
        var tensors = parameters.Select(p => (p.Key, pruned.TryGetValue(p.Key, out var t) ? t : p.Value)).ToList();
        var prunedConfig = config with
        {
            NumAttentionHeads = layout.QueryHeads,
            NumKeyValueHeads = layout.KeyValueHeads,
            HeadDim = headDim,
            IntermediateSize = channels,
        };
        return new StructuredPruning(prunedConfig, tensors, keptHeads, keptChannels, config.NumAttentionHeads, config.KeyValueHeads, config.IntermediateSize);
    }

    // Query heads of group g are g*groups .. (g+1)*groups-1 (the attention repeats each key/value head over its group).
    private static (IReadOnlyList<int> Queries, IReadOnlyList<int> KeyValues) ChooseHeads(Tensor q, Tensor k, Tensor v, Tensor o, LlamaConfig config, HeadLayout layout)
    {
        var heads = config.NumAttentionHeads;
        var kvHeads = config.KeyValueHeads;
        var headDim = config.AttentionHeadDim;
        var groups = heads / kvHeads;
        using var scope = NewDisposeScope();
        var queryScore = SquaredRows(q).view(heads, headDim).sum(1, keepdim: false) + SquaredColumns(o).view(heads, headDim).sum(1, keepdim: false);
        var kvScore = (SquaredRows(k) + SquaredRows(v)).view(kvHeads, headDim).sum(1, keepdim: false);
        var groupScore = kvScore + queryScore.view(kvHeads, groups).sum(1, keepdim: false);
        var queryScores = queryScore.to(ScalarType.Float64).data<double>().ToArray();
        var groupScores = groupScore.to(ScalarType.Float64).data<double>().ToArray();
        var keptGroups = Enumerable.Range(0, kvHeads).OrderByDescending(g => groupScores[g]).ThenBy(g => g).Take(layout.KeyValueHeads).Order().ToList();
        var queries = new List<int>();
        foreach (var g in keptGroups)
        {
            queries.AddRange(Enumerable.Range(g * groups, groups).OrderByDescending(h => queryScores[h]).ThenBy(h => h).Take(layout.QueriesPerGroup).Order());
        }
        return (queries, keptGroups);
    }

    private static Tensor HeadRows(IReadOnlyList<int> heads, int headDim) =>
        tensor(heads.SelectMany(h => Enumerable.Range(h * headDim, headDim)).Select(i => (long)i).ToArray(), ScalarType.Int64);

    private static Tensor Top(Tensor score, int count)
    {
        var scores = score.to(ScalarType.Float64).data<double>().ToArray();
        var kept = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(count).Order().Select(i => (long)i).ToArray();
        return tensor(kept, ScalarType.Int64);
    }

    private static Tensor SquaredRows(Tensor weight) => weight.to(ScalarType.Float32).pow(2).sum(1, keepdim: false);

    private static Tensor SquaredColumns(Tensor weight) => weight.to(ScalarType.Float32).pow(2).sum(0, keepdim: false);

    private static Tensor Get(IReadOnlyDictionary<string, Tensor> parameters, string name) =>
        parameters.TryGetValue(name, out var tensor) ? tensor : throw new ModelFormatException($"structured pruning: the model has no tensor {name}");
}
