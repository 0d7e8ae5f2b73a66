namespace Whetstone.LocalCluster.Storage;

/// <summary>A watch asked for a resourceVersion older than the event log still holds.</summary>
internal sealed class ResourceVersionTooOldException(long requested, long oldest)
    : Exception($"too old resource version: {requested} ({oldest})");
