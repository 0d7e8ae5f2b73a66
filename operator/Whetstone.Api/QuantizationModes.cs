namespace Whetstone.Api;

/// <summary>Values of <c>quantize.mode</c> on a compression step.</summary>
public static class QuantizationModes
{
    /// <summary>Activations are quantized at run time; needs no calibration data.</summary>
    public const string Dynamic = "dynamic";

    /// <summary>Activation ranges come from <c>calibrationDataset</c>.</summary>
    public const string Static = "static";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Dynamic, Static];
}
