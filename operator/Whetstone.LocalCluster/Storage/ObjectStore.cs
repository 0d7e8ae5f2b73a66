using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Whetstone.LocalCluster.Storage;

/// <summary>
/// Durable object storage: SQLite (WAL) is the record, in-memory views serve reads, and a bounded in-memory event
/// log serves watches. One global resourceVersion counts every write; it survives restarts.
/// Writers take a write scope (<see cref="BeginWrite"/>) across their whole read-modify-write, so no update is lost;
/// inside it they read and change the writers' view. Their changes are committed by group commit (see
/// ObjectStore.GroupCommit.cs): the scope's end waits until a transaction holding them committed, and only then do
/// readers, watchers and the writer itself see them.
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

    // Guards the committed view, the event log and the subscriptions.
    private readonly Lock _stateLock = new();
    private readonly Queue<WatchEvent> _events = new();
    private readonly List<WatchSubscription> _subscriptions = [];
    private readonly int _eventWindow;
    private ObjectIndex _committed = new();
    private long _committedVersion;
    private long _compactedVersion;

    // Guarded by _writeLock: what writers read and build on, committed or not yet.
    private readonly Lock _writeLock = new();
    private ObjectIndex _writers = new();
    private long _allocatedVersion;

    /// <param name="databasePath">The SQLite file.</param>
    /// <param name="eventWindow">How many changes the event log keeps for watches that resume.</param>
    /// <param name="busyTimeout">How long a commit waits for another process holding the database (default 5 s).</param>
    public ObjectStore(string databasePath, int eventWindow = 20_000, TimeSpan? busyTimeout = null)
    {
        _eventWindow = eventWindow;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        _connection.Open();
        var busyMilliseconds = (long)(busyTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={busyMilliseconds};"));
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

    /// <summary>
    /// Whether the database answers, for the server's health endpoints: waits at most <paramref name="wait"/> for
    /// the write lock (so a write stuck in its read-modify-write shows) and for the committer (so a stuck commit
    /// shows), and runs a trivial query. Null when healthy, otherwise why not.
    /// </summary>
    public string? Probe(TimeSpan wait)
    {
        if (!_writeLock.TryEnter(wait))
        {
            return HeldFor(wait);
        }
        _writeLock.Exit();
        if (!_commitGate.TryEnter(wait))
        {
            return HeldFor(wait);
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
            _commitGate.Exit();
        }
    }

    private static string HeldFor(TimeSpan wait) =>
        string.Create(CultureInfo.InvariantCulture, $"a write has held the database for more than {wait.TotalSeconds:0.#} s");

    /// <summary>The resourceVersion of the last committed write.</summary>
    public long CurrentResourceVersion
    {
        get { lock (_stateLock) { return _committedVersion; } }
    }

    public StoredObject? Get(string storageKey, string ns, string name) => Read(view => view.Get(storageKey, ns, name));

    public StoredObject? GetByUid(string uid) => Read(view => view.GetByUid(uid));

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public IReadOnlyList<StoredObject> GetDependents(string ownerUid) => Read(view => view.GetDependents(ownerUid));

    /// <summary>
    /// Up to <paramref name="limit"/> matching objects in key order after <paramref name="afterKey"/>, the
    /// resourceVersion they were read at, and the key to continue from when more remain.
    /// </summary>
    public ListPage List(string storageKey, string? ns, string? afterKey, Func<StoredObject, bool> filter, int limit)
    {
        if (_writeLock.IsHeldByCurrentThread)
        {
            var (items, next) = _writers.List(storageKey, ns, afterKey, filter, limit);
            return new ListPage(items, _allocatedVersion, next);
        }
        lock (_stateLock)
        {
            var (items, next) = _committed.List(storageKey, ns, afterKey, filter, limit);
            return new ListPage(items, _committedVersion, next);
        }
    }

    public IReadOnlyList<string> StorageKeysWithNamespace(string ns) => Read(view => view.StorageKeysWithNamespace(ns));

    /// <summary>
    /// Inside a write scope (on its thread) the writers' view, which holds the scope's own and other queued writes;
    /// anywhere else the committed view.
    /// </summary>
    private T Read<T>(Func<ObjectIndex, T> read)
    {
        if (_writeLock.IsHeldByCurrentThread)
        {
            return read(_writers);
        }
        lock (_stateLock)
        {
            return read(_committed);
        }
    }

    /// <summary>
    /// Queues <paramref name="obj"/> with the next resourceVersion (set into it) for commit and the event for
    /// watchers. Outside a write scope it returns once committed; inside one, when the scope ends.
    /// </summary>
    public StoredObject Put(string storageKey, JsonObject obj, string eventType)
    {
        using var scope = BeginWrite();
        var metadata = (JsonObject)obj["metadata"]!;
        var ns = metadata["namespace"]?.GetValue<string>() ?? "";
        var name = metadata["name"]!.GetValue<string>();
        var version = _allocatedVersion + 1;
        metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(storageKey, ns, name, version, obj, obj.ToJsonString());
        Queue(stored, eventType, remove: false);
        return stored;
    }

    /// <summary>Removes an object for good; the DELETED event carries it with a new resourceVersion.</summary>
    public StoredObject Remove(StoredObject existing)
    {
        using var scope = BeginWrite();
        var version = _allocatedVersion + 1;
        var obj = existing.Object.DeepClone().AsObject();
        obj["metadata"]!["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        var removed = existing with { ResourceVersion = version, Object = obj, Json = obj.ToJsonString() };
        Queue(removed, "DELETED", remove: true);
        return removed;
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
        lock (_commitGate)
        {
            foreach (var command in new[] { _upsert, _delete, _setVersion, _begin, _commit, _rollback })
            {
                command.Dispose();
            }
            _connection.Dispose();
        }
    }
}
