namespace Whetstone.Datasets;

/// <summary>Records dropped by reason (api.md <c>status.dataset.dropped</c>).</summary>
/// <param name="Empty">Blank needed fields (dropEmpty).</param>
/// <param name="Duplicate">Same normalized content as an earlier record.</param>
/// <param name="NearDuplicate">Similar to an earlier record (deduplicate: near).</param>
/// <param name="Blocked">Contained a blocked term.</param>
public sealed record DroppedCounts(int Empty, int Duplicate, int NearDuplicate, int Blocked);
