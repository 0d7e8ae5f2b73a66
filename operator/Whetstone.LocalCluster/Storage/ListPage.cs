namespace Whetstone.LocalCluster.Storage;

/// <summary>One page of a list: the items, the resourceVersion read at, and where the next page starts (null: last page).</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? ContinueAfterKey);
