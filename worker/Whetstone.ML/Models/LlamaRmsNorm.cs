using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>Root-mean-square normalisation with a learned scale, computed in float32 as Hugging Face's LlamaRMSNorm does.</summary>
public sealed class LlamaRmsNorm : nn.Module<Tensor, Tensor>
{
    // Field names are the Hugging Face parameter names: they become the safetensors tensor names.
#pragma warning disable IDE1006
    private readonly Parameter weight;
#pragma warning restore IDE1006
    private readonly double _epsilon;

    /// <summary>Creates the norm over the last dimension of width <paramref name="size"/>, scale initialised to one.</summary>
    public LlamaRmsNorm(long size, double epsilon, ScalarType dtype = ScalarType.Float32) : base(nameof(LlamaRmsNorm))
    {
        this._epsilon = epsilon;
        weight = new Parameter(ones(size, dtype: dtype));
        RegisterComponents();
    }

    /// <summary>The learned scale.</summary>
    public Parameter Weight => weight;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var wide = input.to(ScalarType.Float32);
        var variance = wide.pow(2).mean([-1L], keepdim: true);
        var normalized = (wide * rsqrt(variance + _epsilon)).to(input.dtype);
        return (weight * normalized).MoveToOuterDisposeScope();
    }
}
