namespace Whetstone.Api;

/// <summary>Values of <c>format</c> on a model source.</summary>
public static class ModelFormats
{
    /// <summary>A directory with <c>config.json</c>, <c>model.safetensors</c> and <c>tokenizer.json</c>.</summary>
    public const string Whetstone = "whetstone";

    /// <summary>An ONNX model (<c>model.onnx</c>) with its tokenizer.</summary>
    public const string Onnx = "onnx";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Whetstone, Onnx];
}
