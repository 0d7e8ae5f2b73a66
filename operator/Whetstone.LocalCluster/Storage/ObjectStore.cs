using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Whetstone.LocalCluster.Storage;

/// <summary>
/// Durable object storage: SQLite (WAL) is the record, an in-memory copy serves reads, and a bounded
/// in-memory event log serves watches. One global resourceVersion counts every write; it survives restarts.
/// Writes are serialized by <see cref="WriteLock"/> (callers hold it across read-modify-write so no
/// update is lost) and are committed to SQLite before the caller answers.
/// </summary>
internal sealed partial class ObjectStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _setVersion;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;

    private readonly Lock _stateLock = new();
    private readonly Dictionary<string, ResourceBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredObject> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependentsByOwnerUid = new(StringComparer.Ordinal);
    private readonly Queue<WatchEvent> _events = new();
    private readonly List<WatchSubscription> _subscriptions = [];
    private readonly int _eventWindow;
    private long _allocatedVersion;
    private long _committedVersion;
    private long _compactedVersion;

    public ObjectStore(string databasePath, int eventWindow = 20_000)
    {
        _eventWindow = eventWindow;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS objects(resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                rv INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(resource, namespace, name)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta(key, value) VALUES('resourceVersion', 0);
            """);
        _upsert = Prepare("""
            INSERT INTO objects(resource, namespace, name, rv, body) VALUES($r, $n, $m, $v, $b)
            ON CONFLICT(resource, namespace, name) DO UPDATE SET rv = excluded.rv, body = excluded.body
            """, "$r", "$n", "$m", "$v", "$b");
        _delete = Prepare("DELETE FROM objects WHERE resource = $r AND namespace = $n AND name = $m", "$r", "$n", "$m");
        _setVersion = Prepare("UPDATE meta SET value = $v WHERE key = 'resourceVersion'", "$v");
        _begin = Prepare("BEGIN");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        Load();
    }

    /// <summary>Held across a whole read-modify-write. Reentrant.</summary>
    public Lock WriteLock { get; } = new();

    /// <summary>
    /// Whether the database answers, for the server's health endpoints: takes the write lock (waiting at most
    /// <paramref name="wait"/>, so a write stuck behind it shows) and runs a trivial query. Null when healthy,
    /// otherwise why not.
    /// </summary>
    public string? Probe(TimeSpan wait)
    {
        if (!WriteLock.TryEnter(wait))
        {
            return string.Create(CultureInfo.InvariantCulture, $"a write has held the database for more than {wait.TotalSeconds:0.#} s");
        }

        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = 'resourceVersion'";
            _ = command.ExecuteScalar();
            return null;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or ObjectDisposedException)
        {
            return $"the database does not answer: {e.Message}";
        }
        finally
        {
            WriteLock.Exit();
        }
    }

    public long CurrentResourceVersion
    {
        get { lock (_stateLock) { return _committedVersion; } }
    }

    public StoredObject? Get(string storageKey, string ns, string name)
    {
        lock (_stateLock)
        {
            return _buckets.TryGetValue(storageKey, out var bucket) && bucket.Objects.TryGetValue(ns + "/" + name, out var found) ? found : null;
        }
    }

    public StoredObject? GetByUid(string uid)
    {
        lock (_stateLock)
        {
            return _byUid.GetValueOrDefault(uid);
        }
    }

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public IReadOnlyList<StoredObject> GetDependents(string ownerUid)
    {
        lock (_stateLock)
        {
            if (!_dependentsByOwnerUid.TryGetValue(ownerUid, out var uids))
            {
                return [];
            }
            return [.. uids.Select(u => _byUid.GetValueOrDefault(u)).OfType<StoredObject>()];
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> matching objects in key order after <paramref name="afterKey"/>, the
    /// resourceVersion they were read at, and the key to continue from when more remain.
    /// </summary>
    public ListPage List(string storageKey, string? ns, string? afterKey, Func<StoredObject, bool> filter, int limit)
    {
        var items = new List<StoredObject>();
        lock (_stateLock)
        {
            if (!_buckets.TryGetValue(storageKey, out var bucket) || bucket.Keys.Count == 0)
            {
                return new ListPage(items, _committedVersion, null);
            }
            var lower = ns is null ? bucket.Keys.Min! : ns + "/";
            var upper = ns is null ? bucket.Keys.Max! : ns + "0";
            if (afterKey is not null && string.CompareOrdinal(afterKey, lower) >= 0)
            {
                lower = afterKey;
            }
            if (string.CompareOrdinal(lower, upper) > 0)
            {
                return new ListPage(items, _committedVersion, null);
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
                    return new ListPage(items, _committedVersion, items[^1].CacheKey);
                }
                items.Add(item);
            }
            return new ListPage(items, _committedVersion, null);
        }
    }

    public IReadOnlyList<string> StorageKeysWithNamespace(string ns)
    {
        lock (_stateLock)
        {
            return [.. _buckets.Where(b => b.Value.Keys.GetViewBetween(ns + "/", ns + "0").Count > 0).Select(b => b.Key)];
        }
    }

    /// <summary>Commits <paramref name="obj"/> with the next resourceVersion (set into it) and publishes the event.</summary>
    public StoredObject Put(string storageKey, JsonObject obj, string eventType)
    {
        lock (WriteLock)
        {
            var metadata = (JsonObject)obj["metadata"]!;
            var ns = metadata["namespace"]?.GetValue<string>() ?? "";
            var name = metadata["name"]!.GetValue<string>();
            var version = _allocatedVersion + 1;
            metadata["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var json = obj.ToJsonString();
            RunInTransaction(() =>
            {
                Bind(_upsert, storageKey, ns, name, version, json).ExecuteNonQuery();
                Bind(_setVersion, version).ExecuteNonQuery();
            });
            _allocatedVersion = version;
            var stored = new StoredObject(storageKey, ns, name, version, obj, json);
            Publish(stored, eventType, remove: false);
            return stored;
        }
    }

    /// <summary>Removes an object for good; the DELETED event carries it with a new resourceVersion.</summary>
    public StoredObject Remove(StoredObject existing)
    {
        lock (WriteLock)
        {
            var version = _allocatedVersion + 1;
            var obj = existing.Object.DeepClone().AsObject();
            obj["metadata"]!["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            RunInTransaction(() =>
            {
                Bind(_delete, existing.StorageKey, existing.Namespace, existing.Name).ExecuteNonQuery();
                Bind(_setVersion, version).ExecuteNonQuery();
            });
            _allocatedVersion = version;
            var removed = existing with { ResourceVersion = version, Object = obj, Json = obj.ToJsonString() };
            Publish(removed, "DELETED", remove: true);
            return removed;
        }
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

    private ResourceBucket GetBucket(string storageKey)
    {
        if (!_buckets.TryGetValue(storageKey, out var bucket))
        {
            _buckets[storageKey] = bucket = new ResourceBucket();
        }
        return bucket;
    }

    public void Dispose()
    {
        lock (_stateLock)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete();
            }
            _subscriptions.Clear();
        }
        lock (WriteLock)
        {
            foreach (var command in new[] { _upsert, _delete, _setVersion, _begin, _commit, _rollback })
            {
                command.Dispose();
            }
            _connection.Dispose();
        }
    }

    private sealed class ResourceBucket
    {
        public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);
    }
}
