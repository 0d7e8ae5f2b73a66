using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// Dynamic loss scaling for fp16 mixed precision, as PyTorch's <c>torch.amp.GradScaler</c>: scale the loss, unscale
/// the gradients before clipping, skip the optimizer step and lower the scale when any gradient is Inf or NaN, and
/// grow the scale after a run of good steps. See <see cref="LossScalingOptions"/>.
/// </summary>
public sealed class GradientScaler
{
    private readonly LossScalingOptions _options;

    /// <summary>Starts at <see cref="LossScalingOptions.InitialScale"/>, or continues from a checkpoint's <paramref name="state"/>.</summary>
    public GradientScaler(LossScalingOptions options, GradientScalerState? state = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this._options = options;
        Scale = state?.Scale ?? options.InitialScale;
        GoodSteps = state?.GoodSteps ?? 0;
        SkippedSteps = state?.SkippedSteps ?? 0;
    }

    /// <summary>The factor the loss is multiplied by before backward.</summary>
    public double Scale { get; private set; }

    /// <summary>Steps without overflow since the scale last changed.</summary>
    public int GoodSteps { get; private set; }

    /// <summary>Steps skipped so far because their gradients overflowed.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The state to save in a checkpoint.</summary>
    public GradientScalerState State => new(Scale, GoodSteps, SkippedSteps);

    /// <summary>The loss times the current scale; call backward on this.</summary>
    public Tensor ScaleLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss * Scale;
    }

    /// <summary>
    /// Divides every gradient of <paramref name="parameters"/> by the scale, in place (before clipping, so the
    /// clipping threshold applies to true gradients). Returns false when any gradient holds Inf or NaN.
    /// </summary>
    public bool UnscaleGradients(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = NewDisposeScope();
        var inverse = 1.0 / Scale;
        var finiteFlags = new List<Tensor>();
        foreach (var parameter in parameters)
        {
            if (parameter.grad is not { } gradient)
            {
                continue;
            }

            gradient.mul_(inverse);
            finiteFlags.Add(gradient.isfinite().all());
        }

        // One device-to-host read for all parameters.
        return finiteFlags.Count == 0 || stack(finiteFlags).all().item<bool>();
    }

    /// <summary>
    /// Records the outcome of a step: after an overflow (<paramref name="gradientsFinite"/> false, the step skipped) the
    /// scale backs off; after <see cref="LossScalingOptions.GrowthInterval"/> good steps in a row it grows.
    /// </summary>
    public void Update(bool gradientsFinite)
    {
        if (!gradientsFinite)
        {
            Scale *= _options.BackoffFactor;
            GoodSteps = 0;
            SkippedSteps++;
            return;
        }

        GoodSteps++;
        if (GoodSteps >= _options.GrowthInterval)
        {
            var grown = Scale * _options.GrowthFactor;
            // As PyTorch does, never grow into Inf (which would make every later step overflow).
            if (double.IsFinite(grown) && grown <= float.MaxValue)
            {
                Scale = grown;
            }

            GoodSteps = 0;
        }
    }
}
