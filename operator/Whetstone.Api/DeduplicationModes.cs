namespace Whetstone.Api;

/// <summary>Values of <c>dataset.preprocessing.deduplicate</c>.</summary>
public static class DeduplicationModes
{
    /// <summary>Keep duplicates.</summary>
    public const string None = "none";

    /// <summary>Drop records whose normalized text equals an earlier one.</summary>
    public const string Exact = "exact";

    /// <summary>Also drop near-duplicates (MinHash similarity).</summary>
    public const string Near = "near";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Exact, Near];
}
