using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>One pre-norm decoder layer: attention then SwiGLU, each added to the residual stream.</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    // Field names are the Hugging Face module names: they become the parameter and safetensors names.
#pragma warning disable IDE1006
    private readonly LlamaAttention self_attn;
    private readonly LlamaMlp mlp;
    private readonly LlamaRmsNorm input_layernorm;
    private readonly LlamaRmsNorm post_attention_layernorm;
#pragma warning restore IDE1006

    /// <summary>Creates the layer.</summary>
    public LlamaDecoderLayer(LlamaConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaDecoderLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        self_attn = new LlamaAttention(config, dtype);
        mlp = new LlamaMlp(config, dtype);
        input_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, dtype);
        post_attention_layernorm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEps, dtype);
        RegisterComponents();
    }

    /// <summary>The attention block (module path <c>self_attn</c>).</summary>
    public LlamaAttention SelfAttention => self_attn;

    /// <summary>The feed-forward block (module path <c>mlp</c>).</summary>
    public LlamaMlp Mlp => mlp;

    /// <summary>Runs the layer; see <see cref="LlamaAttention.Forward"/> for the mask and cache.</summary>
    public Tensor Forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, KeyValueCache? cache, int layerIndex)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var scope = NewDisposeScope();
        var attended = hidden + self_attn.Forward(input_layernorm.forward(hidden), cos, sin, mask, cache, layerIndex);
        var output = attended + mlp.Forward(post_attention_layernorm.forward(attended));
        return output.MoveToOuterDisposeScope();
    }
}
