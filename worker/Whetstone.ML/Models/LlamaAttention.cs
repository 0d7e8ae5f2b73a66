using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// Grouped-query self-attention with rotary positions, computed by
/// <c>scaled_dot_product_attention</c>; key/value heads are shared by groups of query heads.
/// </summary>
public sealed class LlamaAttention : ProjectionBlock
{
    private readonly int _heads;
    private readonly int _keyValueHeads;
    private readonly int _headDim;

    /// <summary>Creates the block with bias-free projections.</summary>
    public LlamaAttention(LlamaConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.NumAttentionHeads;
        _keyValueHeads = config.KeyValueHeads;
        _headDim = config.AttentionHeadDim;
        AddProjection("q_proj", nn.Linear(config.HiddenSize, _heads * _headDim, hasBias: false, dtype: dtype));
        AddProjection("k_proj", nn.Linear(config.HiddenSize, _keyValueHeads * _headDim, hasBias: false, dtype: dtype));
        AddProjection("v_proj", nn.Linear(config.HiddenSize, _keyValueHeads * _headDim, hasBias: false, dtype: dtype));
        AddProjection("o_proj", nn.Linear(_heads * _headDim, config.HiddenSize, hasBias: false, dtype: dtype));
    }

    /// <summary>
    /// Attends over <paramref name="hidden"/> [batch, time, hidden]. <paramref name="mask"/> is a boolean
    /// [batch, 1, time, keys] (true = may attend) or null for plain causal attention over the new tokens
    /// (or no masking when a single token follows a cache).
    /// </summary>
    public Tensor Forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, KeyValueCache? cache, int layerIndex)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var time = hidden.shape[1];
        var queries = SplitHeads(Project("q_proj", hidden), _heads, batch, time);
        var keys = SplitHeads(Project("k_proj", hidden), _keyValueHeads, batch, time);
        var values = SplitHeads(Project("v_proj", hidden), _keyValueHeads, batch, time);
        if (Autocast.IsEnabled)
        {
            // Mixed precision: rotate in fp32 (as autocast's type promotion against the fp32 tables does), then
            // attend in the compute dtype.
            queries = Autocast.ToComputeDtype(RotaryEmbedding.Apply(queries.to(ScalarType.Float32), cos, sin));
            keys = Autocast.ToComputeDtype(RotaryEmbedding.Apply(keys.to(ScalarType.Float32), cos, sin));
            values = Autocast.ToComputeDtype(values);
        }
        else
        {
            queries = RotaryEmbedding.Apply(queries, cos, sin);
            keys = RotaryEmbedding.Apply(keys, cos, sin);
        }
        if (cache is not null)
        {
            (keys, values) = cache.Append(layerIndex, keys, values);
        }
        var groups = _heads / _keyValueHeads;
        if (groups > 1)
        {
            keys = keys.repeat_interleave(groups, dim: 1);
            values = values.repeat_interleave(groups, dim: 1);
        }
        var causal = mask is null && time > 1;
        var attended = nn.functional.scaled_dot_product_attention(queries, keys, values, mask, is_casual: causal);
        var merged = attended.transpose(1, 2).reshape(batch, time, _heads * _headDim);
        return Project("o_proj", merged).MoveToOuterDisposeScope();
    }

    private Tensor SplitHeads(Tensor projected, int count, long batch, long time) =>
        projected.view(batch, time, count, _headDim).transpose(1, 2);
}
