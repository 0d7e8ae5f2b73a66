using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>The decoder stack without the output layer (Hugging Face's <c>LlamaModel</c>, module path <c>model</c>).</summary>
public sealed class LlamaModel : nn.Module
{
    // Field names are the Hugging Face module names: they become the parameter and safetensors names.
#pragma warning disable IDE1006
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRmsNorm norm;
#pragma warning restore IDE1006
    private readonly RotaryEmbedding _rotary;

    /// <summary>Creates the stack with default-initialised weights.</summary>
    public LlamaModel(LlamaConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize, dtype: dtype);
        layers = new ModuleList<LlamaDecoderLayer>();
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            layers.Add(new LlamaDecoderLayer(config, dtype));
        }
        norm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, dtype);
        _rotary = new RotaryEmbedding(config.AttentionHeadDim, config.RopeTheta);
        RegisterComponents();
    }

    /// <summary>The token embedding (module path <c>model.embed_tokens</c>).</summary>
    public Embedding EmbedTokens => embed_tokens;

    /// <summary>The decoder layers (module paths <c>model.layers.N</c>).</summary>
    public IReadOnlyList<LlamaDecoderLayer> Layers => [.. layers];

    /// <summary>
    /// Final hidden states [batch, time, hidden] for <paramref name="inputIds"/> [batch, time].
    /// <paramref name="attentionMask"/> [batch, cached + time] marks real tokens with 1 and padding with 0
    /// (left or right padding); positions count real tokens only. With a <paramref name="cache"/>, the ids
    /// are the tokens after the cached ones.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KeyValueCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var time = inputIds.shape[1];
        var positions = ComputePositions(inputIds, attentionMask, past);
        var (cos, sin) = _rotary.Compute(positions);
        var mask = BuildAttentionMask(attentionMask, time, past, inputIds.device);
        var hidden = embed_tokens.forward(inputIds);
        for (var i = 0; i < layers.Count; i++)
        {
            hidden = layers[i].Forward(hidden, cos, sin, mask, cache, i);
        }
        return norm.forward(hidden).MoveToOuterDisposeScope();
    }

    private static Tensor ComputePositions(Tensor inputIds, Tensor? attentionMask, long past)
    {
        var time = inputIds.shape[1];
        if (attentionMask is null)
        {
            return arange(past, past + time, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0).expand(inputIds.shape[0], time);
        }
        // Explicit scalars held until the native calls return: an implicit Scalar can be finalized while the native
        // call still reads it, which surfaced once as "Unknown scalar type" in clamp_min under load.
        using Scalar one = 1L;
        using Scalar zero = 0L;
        using var cumulative = attentionMask.to(ScalarType.Int64).cumsum(-1);
        using var counted = cumulative.sub(one);
        using var clamped = counted.clamp_min(zero);
        return clamped.narrow(1, past, time).contiguous();
    }

    /// <summary>
    /// Null when plain causal attention (or none, for one token after a cache) is right; otherwise a boolean
    /// [batch, 1, time, past + time] mask. Every query may see itself, so rows of padding never end up
    /// with no key at all (which would make the attention softmax NaN).
    /// </summary>
    private static Tensor? BuildAttentionMask(Tensor? attentionMask, long time, long past, Device device)
    {
        var hasPadding = attentionMask is not null && !attentionMask.to(ScalarType.Bool).all().item<bool>();
        if (!hasPadding && (past == 0 || time == 1))
        {
            return null;
        }
        var total = past + time;
        var queryPositions = arange(past, total, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var keyPositions = arange(0, total, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var causal = keyPositions.le(queryPositions).unsqueeze(0).unsqueeze(0);
        if (!hasPadding)
        {
            return causal;
        }
        var keyIsReal = attentionMask!.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1);
        var self = keyPositions.eq(queryPositions).unsqueeze(0).unsqueeze(0);
        return causal.logical_and(keyIsReal).logical_or(self);
    }
}
