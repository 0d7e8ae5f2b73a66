namespace Whetstone.LocalCluster.Storage;

/// <summary>One change in the event log: ADDED, MODIFIED or DELETED with the object as of that change.</summary>
internal sealed record WatchEvent(long ResourceVersion, string Type, StoredObject Object);
