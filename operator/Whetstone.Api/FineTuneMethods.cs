namespace Whetstone.Api;

/// <summary>Values of <c>method.type</c> on a FineTuneJob.</summary>
public static class FineTuneMethods
{
    /// <summary>Low-rank adapters on the target modules; the base weights stay frozen.</summary>
    public const string LoRA = "LoRA";

    /// <summary>Every weight is trained.</summary>
    public const string Full = "Full";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [LoRA, Full];
}
