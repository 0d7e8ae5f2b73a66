namespace Whetstone.Datasets.Preprocessing;

/// <summary>How duplicates are removed (api.md <c>preprocessing.deduplicate</c>).</summary>
public enum DeduplicationMode
{
    /// <summary><c>none</c>: keep duplicates.</summary>
    None,

    /// <summary><c>exact</c>: drop records whose normalized content equals an earlier record's.</summary>
    Exact,

    /// <summary><c>near</c>: exact, and also records similar to an earlier one (see <see cref="NearDuplicateOptions"/>).</summary>
    Near,
}
