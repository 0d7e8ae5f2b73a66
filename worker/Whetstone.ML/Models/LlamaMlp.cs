using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>The SwiGLU feed-forward block: <c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>.</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>, IProjectionOwner
{
    // Field names are the Hugging Face module names: they become the parameter and safetensors names.
#pragma warning disable IDE1006
    private nn.Module<Tensor, Tensor> gate_proj;
    private nn.Module<Tensor, Tensor> up_proj;
    private nn.Module<Tensor, Tensor> down_proj;
#pragma warning restore IDE1006

    /// <summary>Creates the block with bias-free projections.</summary>
    public LlamaMlp(LlamaConfig config, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype: dtype);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype: dtype);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false, dtype: dtype);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(gate_proj.forward(input)) * up_proj.forward(input);
        return down_proj.forward(gated).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public IEnumerable<string> ProjectionNames => ["gate_proj", "up_proj", "down_proj"];

    /// <inheritdoc/>
    public nn.Module<Tensor, Tensor> GetProjection(string name) => name switch
    {
        "gate_proj" => gate_proj,
        "up_proj" => up_proj,
        "down_proj" => down_proj,
        _ => throw new ArgumentException($"the MLP has no projection '{name}'", nameof(name)),
    };

    /// <inheritdoc/>
    public void ReplaceProjection(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        _ = GetProjection(name);
        switch (name)
        {
            case "gate_proj": gate_proj = replacement; break;
            case "up_proj": up_proj = replacement; break;
            default: down_proj = replacement; break;
        }
        ProjectionSwap.Register(this, name, replacement);
    }
}
