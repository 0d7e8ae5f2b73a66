namespace Whetstone.Datasets.Preprocessing;

/// <summary>Maps <see cref="DeduplicationMode"/> to and from the names used in api.md.</summary>
public static class DeduplicationModeNames
{
    private static readonly ApiNames<DeduplicationMode> Names = new(
        (DeduplicationMode.None, "none"),
        (DeduplicationMode.Exact, "exact"),
        (DeduplicationMode.Near, "near"));

    /// <summary>The api.md name, e.g. <c>near</c>.</summary>
    public static string ToName(this DeduplicationMode mode) => Names.ToName(mode);

    /// <summary>Parses <c>none</c>, <c>exact</c> or <c>near</c>; throws <see cref="DatasetOptionsException"/> naming <paramref name="field"/>.</summary>
    public static DeduplicationMode Parse(string name, string field = "spec.dataset.preprocessing.deduplicate") => Names.Parse(name, field, "mode");
}
