namespace Whetstone.ML.Training;

/// <summary>Numeric precision of training (api.md: hyperparameters.precision).</summary>
public enum TrainingPrecision
{
    /// <summary>32-bit floats everywhere; the only precision used on CPU.</summary>
    Fp32,

    /// <summary>
    /// bfloat16 mixed precision on CUDA (fp32 master weights, bf16 matmuls; see <see cref="Runtime.Autocast"/>);
    /// falls back to fp32 on CPU unless <see cref="TrainingOptions.AllowLowPrecisionOnCpu"/>.
    /// </summary>
    Bf16,

    /// <summary>
    /// float16 mixed precision on CUDA with dynamic loss scaling (<see cref="GradientScaler"/>); falls back to fp32
    /// on CPU unless <see cref="TrainingOptions.AllowLowPrecisionOnCpu"/>.
    /// </summary>
    Fp16,
}
