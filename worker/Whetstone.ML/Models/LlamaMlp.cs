using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>The SwiGLU feed-forward block: <c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>.</summary>
public sealed class LlamaMlp : ProjectionBlock
{
    /// <summary>Creates the block with bias-free projections.</summary>
    public LlamaMlp(LlamaConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        AddProjection("gate_proj", nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype: dtype));
        AddProjection("up_proj", nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype: dtype));
        AddProjection("down_proj", nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false, dtype: dtype));
    }

    /// <summary>Applies the block to <paramref name="input"/> [..., hidden].</summary>
    public Tensor Forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(Project("gate_proj", input)) * Project("up_proj", input);
        return Project("down_proj", gated).MoveToOuterDisposeScope();
    }
}
