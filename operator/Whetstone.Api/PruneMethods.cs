namespace Whetstone.Api;

/// <summary>Values of <c>prune.method</c> on a compression step.</summary>
public static class PruneMethods
{
    /// <summary>Remove the weights (or, when structured, the rows) with the smallest magnitude.</summary>
    public const string Magnitude = "magnitude";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Magnitude];
}
