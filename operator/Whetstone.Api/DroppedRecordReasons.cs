namespace Whetstone.Api;

/// <summary>Well-known keys of <c>status.dataset.dropped</c> (the map accepts others).</summary>
public static class DroppedRecordReasons
{
    /// <summary>Empty after normalization.</summary>
    public const string Empty = "empty";

    /// <summary>A duplicate of an earlier record.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Contained a blocked term.</summary>
    public const string Blocked = "blocked";

    /// <summary>Could not be parsed in the dataset's format.</summary>
    public const string Malformed = "malformed";

    /// <summary>Longer than the maximum sequence length.</summary>
    public const string TooLong = "tooLong";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Empty, Duplicate, Blocked, Malformed, TooLong];
}
