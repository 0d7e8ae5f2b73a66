using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Lora;

/// <summary>
/// A low-rank adapter around a frozen <see cref="Linear"/>: y = W·x + b + (alpha / r) · B·A·dropout(x), with
/// A (r × in) initialised like a Linear layer (Kaiming uniform) and B (out × r) zero, so the adapted layer starts out
/// identical to the base. The base weight and bias are frozen (requires_grad false).
/// </summary>
/// <remarks>
/// Used standalone, <see cref="forward"/> computes the whole adapted layer. Injected into a model
/// (<see cref="LoraInjector"/>), the adapter's A and B are registered under the base Linear (names
/// "q_proj.lora_A.weight", as PEFT saves them) and a forward hook adds <see cref="CalculateDelta"/> to the base's output,
/// so the model's own fields and parameter names stay as they are.
/// </remarks>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, CA1707 // PEFT's tensor names; TorchSharp registers fields by their names.
    private readonly Linear base_layer;
    private readonly Linear lora_A;
    private readonly Linear lora_B;
#pragma warning restore IDE1006, CA1707

    /// <summary>Wraps <paramref name="baseLayer"/>, freezing it and creating the adapter on its device and dtype.</summary>
    public LoraLinear(Linear baseLayer, LoraOptions options) : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        base_layer = baseLayer;
        Options = options;
        var weight = baseLayer.weight;
        lora_A = nn.Linear(baseLayer.in_features, options.Rank, hasBias: false, device: weight.device, dtype: weight.dtype);
        lora_B = nn.Linear(options.Rank, baseLayer.out_features, hasBias: false, device: weight.device, dtype: weight.dtype);
        using (no_grad())
        {
            lora_B.weight.zero_();
        }

        foreach (var parameter in baseLayer.parameters())
        {
            parameter.requires_grad = false;
        }

        RegisterComponents();
    }

    /// <summary>The adapter's hyperparameters.</summary>
    public LoraOptions Options { get; }

    /// <summary>The frozen layer being adapted.</summary>
    public Linear BaseLayer => base_layer;

    /// <summary>A, r × in.</summary>
    public Linear LoraA => lora_A;

    /// <summary>B, out × r (zero at creation).</summary>
    public Linear LoraB => lora_B;

    /// <summary>Number of adapter parameters: r · (in + out).</summary>
    public long AdapterParameterCount => lora_A.weight.numel() + lora_B.weight.numel();

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        // forward, not call: the base's hooks are where an injected adapter adds itself.
        using var scope = NewDisposeScope();
        var frozen = Autocast.IsEnabled ? Autocast.Linear(input, base_layer.weight!, base_layer.bias) : base_layer.forward(input);
        var output = frozen + CalculateDelta(input, training);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (alpha / r) · B·A·dropout(x); dropout is active only when <paramref name="isTraining"/>. Inside an
    /// <see cref="Autocast"/> scope A and B compute in the compute dtype (their fp32 weights cast on the fly).
    /// </summary>
    public Tensor CalculateDelta(Tensor input, bool isTraining)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var dropped = Options.Dropout > 0 ? nn.functional.dropout(input, Options.Dropout, isTraining) : input;
        var delta = Autocast.IsEnabled
            ? Autocast.Linear(Autocast.Linear(dropped, lora_A.weight!), lora_B.weight!).mul_(Options.Scaling)
            : lora_B.forward(lora_A.forward(dropped)).mul_(Options.Scaling);
        return delta.MoveToOuterDisposeScope();
    }

    /// <summary>The dense update (alpha / r) · B·A, shaped like the base weight.</summary>
    public Tensor CalculateMergedDelta()
    {
        using var noGrad = no_grad();
        return lora_B.weight.matmul(lora_A.weight).mul_(Options.Scaling);
    }
}
