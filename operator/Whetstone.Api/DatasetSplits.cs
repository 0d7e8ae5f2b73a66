namespace Whetstone.Api;

/// <summary>Names of dataset splits a FineTuneJob produces, for <c>dataset.split</c> on references.</summary>
public static class DatasetSplits
{
    /// <summary>The training split.</summary>
    public const string Train = "train";

    /// <summary>The validation split.</summary>
    public const string Validation = "validation";

    /// <summary>The held-out test split.</summary>
    public const string Test = "test";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Train, Validation, Test];
}
