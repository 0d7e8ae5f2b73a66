namespace Whetstone.Api;

/// <summary>Values of <c>convert.format</c> on a compression step.</summary>
public static class ConversionFormats
{
    /// <summary>Export to ONNX.</summary>
    public const string Onnx = "onnx";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Onnx];
}
