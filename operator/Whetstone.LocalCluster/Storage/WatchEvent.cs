namespace Whetstone.LocalCluster.Storage;

/// <summary>
/// One change in the event log: ADDED, MODIFIED or DELETED with the object as of that change, and the
/// object before it (for MODIFIED), so filtered watches can tell an object entering or leaving their selector.
/// <see cref="Lines"/> keeps the watch lines already encoded for it, shared by every watcher (and by the copies a
/// selector's transition makes with <c>with</c>).
/// </summary>
internal sealed record WatchEvent(long ResourceVersion, string Type, StoredObject Object, StoredObject? Previous = null)
{
    public EncodedLines Lines { get; init; } = new();
}
