namespace Whetstone.ML.Training;

/// <summary>Numeric precision of training (api.md: hyperparameters.precision).</summary>
public enum TrainingPrecision
{
    /// <summary>32-bit floats everywhere; the only precision used on CPU.</summary>
    Fp32,

    /// <summary>bfloat16 on CUDA; falls back to fp32 on CPU.</summary>
    Bf16,

    /// <summary>float16 on CUDA; falls back to fp32 on CPU.</summary>
    Fp16,
}
