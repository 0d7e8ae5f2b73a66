namespace Whetstone.Api;

/// <summary>Values of <c>hyperparameters.precision</c>.</summary>
public static class Precisions
{
    /// <summary>32-bit floating point.</summary>
    public const string Fp32 = "fp32";

    /// <summary>bfloat16 mixed precision.</summary>
    public const string Bf16 = "bf16";

    /// <summary>float16 mixed precision with loss scaling.</summary>
    public const string Fp16 = "fp16";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Fp32, Bf16, Fp16];
}
