using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Runtime;

/// <summary>
/// Mixed precision for a forward pass, in the manner of PyTorch's <c>torch.autocast</c> (which TorchSharp lacks):
/// inside a scope, the ops that opt in (linear projections, LoRA A/B, attention's scaled-dot-product, the output
/// layer) cast their inputs and weights to the compute dtype on the fly, while the parameters themselves stay as
/// they are (fp32 master weights) and the backward pass flows through the casts, so gradients land in the
/// parameters' own dtype. Everything else (embedding, RMSNorm statistics, rotary tables, residual additions, the
/// loss) keeps running in fp32. Outside a scope nothing changes: the opt-in ops run their plain fp32 code.
/// </summary>
/// <remarks>
/// The setting is per thread, like autocast's: enter and leave the scope on the thread that runs the forward pass.
/// </remarks>
public sealed class Autocast : IDisposable
{
    [ThreadStatic]
    private static ScalarType? _current;

    private readonly ScalarType? _previous;
    private bool _disposed;

    private Autocast(ScalarType? computeDtype)
    {
        _previous = _current;
        _current = computeDtype;
    }

    /// <summary>The dtype matmul-heavy ops compute in on this thread, or null outside a mixed-precision scope.</summary>
    public static ScalarType? ComputeDtype => _current;

    /// <summary>True inside a mixed-precision scope on this thread.</summary>
    public static bool IsEnabled => _current is not null;

    /// <summary>
    /// Starts a scope in which the opt-in ops compute in <paramref name="computeDtype"/> (bfloat16 or float16);
    /// float32 starts a scope without mixed precision. Dispose it to return to the enclosing setting.
    /// </summary>
    public static Autocast Enable(ScalarType computeDtype) => computeDtype switch
    {
        ScalarType.BFloat16 or ScalarType.Float16 => new Autocast(computeDtype),
        ScalarType.Float32 => new Autocast(null),
        _ => throw new ArgumentOutOfRangeException(nameof(computeDtype), computeDtype, "mixed precision computes in bfloat16 or float16 (float32 turns it off)"),
    };

    /// <summary>Starts a scope without mixed precision (for a region that must stay in full precision).</summary>
    public static Autocast Disable() => new(null);

    /// <summary>
    /// <c>input · weightᵀ + bias</c>: in the compute dtype (inputs, weight and bias cast on the fly) inside a scope,
    /// otherwise exactly <see cref="nn.functional.linear"/>.
    /// </summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (_current is not { } dtype)
        {
            return nn.functional.linear(input, weight, bias);
        }

        using var scope = NewDisposeScope();
        var result = nn.functional.linear(input.to(dtype), weight.to(dtype), bias?.to(dtype));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="tensor"/> in the compute dtype inside a scope; otherwise <paramref name="tensor"/> itself.</summary>
    public static Tensor ToComputeDtype(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return _current is { } dtype && tensor.dtype != dtype ? tensor.to(dtype) : tensor;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _current = _previous;
    }
}
