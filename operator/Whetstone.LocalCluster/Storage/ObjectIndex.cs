using System.Text.Json.Nodes;

namespace Whetstone.LocalCluster.Storage;

/// <summary>
/// One in-memory view of the stored objects: by resource and key (in key order, for pages), by uid, and owners to
/// dependents. Not thread-safe; <see cref="ObjectStore"/> keeps two (the committed view readers see and the view
/// writers build on) and guards each with its own lock.
/// </summary>
internal sealed class ObjectIndex
{
    private readonly Dictionary<string, ResourceBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredObject> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependentsByOwnerUid = new(StringComparer.Ordinal);

    public StoredObject? Get(string storageKey, string ns, string name) =>
        _buckets.TryGetValue(storageKey, out var bucket) && bucket.Objects.TryGetValue(ns + "/" + name, out var found) ? found : null;

    public StoredObject? GetByUid(string uid) => _byUid.GetValueOrDefault(uid);

    public IReadOnlyList<StoredObject> GetDependents(string ownerUid) =>
        _dependentsByOwnerUid.TryGetValue(ownerUid, out var uids) ? [.. uids.Select(u => _byUid.GetValueOrDefault(u)).OfType<StoredObject>()] : [];

    /// <summary>Up to <paramref name="limit"/> matching objects in key order after <paramref name="afterKey"/>, and the key to continue from.</summary>
    public (List<StoredObject> Items, string? ContinueAfterKey) List(string storageKey, string? ns, string? afterKey, Func<StoredObject, bool> filter, int limit)
    {
        var items = new List<StoredObject>();
        if (!_buckets.TryGetValue(storageKey, out var bucket) || bucket.Keys.Count == 0)
        {
            return (items, null);
        }
        var lower = ns is null ? bucket.Keys.Min! : ns + "/";
        var upper = ns is null ? bucket.Keys.Max! : ns + "0";
        if (afterKey is not null && string.CompareOrdinal(afterKey, lower) >= 0)
        {
            lower = afterKey;
        }
        if (string.CompareOrdinal(lower, upper) > 0)
        {
            return (items, null);
        }
        foreach (var key in bucket.Keys.GetViewBetween(lower, upper))
        {
            if (key == afterKey)
            {
                continue;
            }
            var item = bucket.Objects[key];
            if (!filter(item))
            {
                continue;
            }
            if (items.Count == limit)
            {
                return (items, items[^1].CacheKey);
            }
            items.Add(item);
        }
        return (items, null);
    }

    /// <summary>Every object of one resource (optionally one namespace), in no particular order.</summary>
    public IEnumerable<StoredObject> Objects(string storageKey, string? ns) =>
        _buckets.TryGetValue(storageKey, out var bucket) ? bucket.Objects.Values.Where(o => ns is null || o.Namespace == ns) : [];

    public IReadOnlyList<string> StorageKeysWithNamespace(string ns) =>
        [.. _buckets.Where(b => b.Value.Keys.GetViewBetween(ns + "/", ns + "0").Count > 0).Select(b => b.Key)];

    /// <summary>Stores (or, with <paramref name="remove"/>, removes) one object; returns the version it replaced.</summary>
    public StoredObject? Apply(StoredObject stored, bool remove)
    {
        if (!_buckets.TryGetValue(stored.StorageKey, out var bucket))
        {
            _buckets[stored.StorageKey] = bucket = new ResourceBucket();
        }
        var previous = bucket.Objects.GetValueOrDefault(stored.CacheKey);
        if (previous is not null)
        {
            Unindex(previous);
        }
        if (remove)
        {
            bucket.Objects.Remove(stored.CacheKey);
            bucket.Keys.Remove(stored.CacheKey);
        }
        else
        {
            bucket.Objects[stored.CacheKey] = stored;
            bucket.Keys.Add(stored.CacheKey);
            Index(stored);
        }
        return previous;
    }

    /// <summary>A copy holding the same (immutable) objects.</summary>
    public ObjectIndex Clone()
    {
        var copy = new ObjectIndex();
        foreach (var bucket in _buckets.Values)
        {
            foreach (var stored in bucket.Objects.Values)
            {
                copy.Apply(stored, remove: false);
            }
        }
        return copy;
    }

    private void Index(StoredObject stored)
    {
        var uid = stored.Uid;
        if (uid.Length == 0)
        {
            return;
        }
        _byUid[uid] = stored;
        foreach (var owner in OwnerUids(stored))
        {
            if (!_dependentsByOwnerUid.TryGetValue(owner, out var set))
            {
                _dependentsByOwnerUid[owner] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(uid);
        }
    }

    private void Unindex(StoredObject stored)
    {
        var uid = stored.Uid;
        _byUid.Remove(uid);
        foreach (var owner in OwnerUids(stored))
        {
            if (_dependentsByOwnerUid.TryGetValue(owner, out var set))
            {
                set.Remove(uid);
                if (set.Count == 0)
                {
                    _dependentsByOwnerUid.Remove(owner);
                }
            }
        }
    }

    private static IEnumerable<string> OwnerUids(StoredObject stored) =>
        (stored.Object["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .Select(r => r?["uid"]?.GetValue<string>()).OfType<string>();

    private sealed class ResourceBucket
    {
        public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);
    }
}
