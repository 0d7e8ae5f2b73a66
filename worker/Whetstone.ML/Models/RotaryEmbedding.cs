using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// Rotary position embeddings in Hugging Face's "rotate half" layout: the first and second halves of each
/// head are the two coordinates rotated together. Holds no weights (not a module), so nothing of it is saved.
/// </summary>
public sealed class RotaryEmbedding(int headDim, double theta)
{
    /// <summary>Cosines and sines for <paramref name="positions"/> [batch, time]: each [batch, 1, time, headDim] in float32.</summary>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Int64, device: positions.device).to(ScalarType.Float32) / headDim;
        var inverseFrequencies = pow(theta, exponents).reciprocal();
        var angles = positions.to(ScalarType.Float32).unsqueeze(-1) * inverseFrequencies;
        var doubled = cat([angles, angles], -1).unsqueeze(1);
        return (doubled.cos().MoveToOuterDisposeScope(), doubled.sin().MoveToOuterDisposeScope());
    }

    /// <summary>Rotates <paramref name="states"/> [batch, heads, time, headDim] by the angles of <see cref="Compute"/>.</summary>
    public static Tensor Apply(Tensor states, Tensor cos, Tensor sin)
    {
        ArgumentNullException.ThrowIfNull(states);
        using var scope = NewDisposeScope();
        var half = states.shape[^1] / 2;
        var first = states.narrow(-1, 0, half);
        var second = states.narrow(-1, half, half);
        var rotated = cat([-second, first], -1);
        var result = states * cos.to(states.dtype) + rotated * sin.to(states.dtype);
        return result.MoveToOuterDisposeScope();
    }
}
