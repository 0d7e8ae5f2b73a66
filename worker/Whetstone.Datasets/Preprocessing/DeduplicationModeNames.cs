namespace Whetstone.Datasets.Preprocessing;

/// <summary>Maps <see cref="DeduplicationMode"/> to and from the names used in api.md.</summary>
public static class DeduplicationModeNames
{
    /// <summary>Parses <c>none</c>, <c>exact</c> or <c>near</c>; throws <see cref="DatasetOptionsException"/> naming <paramref name="field"/>.</summary>
    public static DeduplicationMode Parse(string name, string field = "spec.dataset.preprocessing.deduplicate") => name switch
    {
        "none" => DeduplicationMode.None,
        "exact" => DeduplicationMode.Exact,
        "near" => DeduplicationMode.Near,
        _ => throw new DatasetOptionsException(field, $"unknown mode \"{name}\" (expected none, exact, near)"),
    };
}
