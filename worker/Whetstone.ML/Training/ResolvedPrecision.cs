using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// The precision a run actually trains in. The rule (api.md: hyperparameters.precision): bf16 and fp16 mixed precision
/// apply on CUDA; on the CPU training runs in fp32 whatever was asked, unless the caller explicitly allows low
/// precision there (<see cref="TrainingOptions.AllowLowPrecisionOnCpu"/>, used by tests and benchmarks).
/// </summary>
/// <param name="Requested">What the options asked for.</param>
/// <param name="Effective">What the run uses.</param>
/// <param name="Description">One sentence for the log, saying what is used and, on a fallback, why.</param>
public sealed record ResolvedPrecision(TrainingPrecision Requested, TrainingPrecision Effective, string Description)
{
    /// <summary>The dtype matmul-heavy ops compute in (bfloat16 or float16), or null for plain fp32.</summary>
    public ScalarType? ComputeDtype => Effective switch
    {
        TrainingPrecision.Bf16 => ScalarType.BFloat16,
        TrainingPrecision.Fp16 => ScalarType.Float16,
        _ => null,
    };

    /// <summary>True when the run scales its loss dynamically (fp16, whose narrow range needs it).</summary>
    public bool UsesLossScaling => Effective == TrainingPrecision.Fp16;

    /// <summary>Applies the rule for a run whose trainable parameters are on a <paramref name="device"/> device.</summary>
    public static ResolvedPrecision Resolve(TrainingPrecision requested, DeviceType device, bool allowLowPrecisionOnCpu = false)
    {
        if (requested == TrainingPrecision.Fp32)
        {
            return new(requested, requested, "precision fp32");
        }

        var name = NameOf(requested);
        if (device != DeviceType.CUDA && !allowLowPrecisionOnCpu)
        {
            return new(requested, TrainingPrecision.Fp32,
                $"precision fp32: {name} was asked for, but {name} mixed precision applies on CUDA only and this run is on the {device.ToString().ToUpperInvariant()}");
        }

        var scaling = requested == TrainingPrecision.Fp16 ? ", dynamic loss scaling" : "";
        return new(requested, requested, $"precision {name} mixed (fp32 master weights, {name} matmuls{scaling})");
    }

    private static string NameOf(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.Bf16 => "bf16",
        TrainingPrecision.Fp16 => "fp16",
        _ => "fp32",
    };
}
