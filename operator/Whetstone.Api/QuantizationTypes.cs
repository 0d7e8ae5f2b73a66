namespace Whetstone.Api;

/// <summary>Values of <c>quantize.type</c> on a compression step.</summary>
public static class QuantizationTypes
{
    /// <summary>8-bit integer weights.</summary>
    public const string Int8 = "int8";

    /// <summary>16-bit floating point weights.</summary>
    public const string Fp16 = "fp16";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Int8, Fp16];
}
