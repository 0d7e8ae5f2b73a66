namespace Whetstone.Api;

/// <summary>Names of compression steps, as reported in <c>status.steps[].name</c>.</summary>
public static class CompressionStepNames
{
    /// <summary>Pruning.</summary>
    public const string Prune = "prune";

    /// <summary>Knowledge distillation.</summary>
    public const string Distill = "distill";

    /// <summary>Quantization.</summary>
    public const string Quantize = "quantize";

    /// <summary>Format conversion.</summary>
    public const string Convert = "convert";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Prune, Distill, Quantize, Convert];
}
