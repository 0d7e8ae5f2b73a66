using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Whetstone.LocalCluster.Storage;

/// <summary>
/// Group commit. A writer applies its changes to the writers' view and queues them under the write lock, leaves the
/// lock, then waits for the commit gate: the first waiter to get it commits every queued change (its own and those
/// of writers that queued while the previous commit ran) in one SQLite transaction, then publishes them to the
/// committed view and to watchers in resourceVersion order. A write is acknowledged only after its transaction
/// committed. When a commit fails, its writers and every writer that queued after it (they built on its changes)
/// get the error, and the next write scope rebuilds the writers' view from the committed one.
/// </summary>
internal sealed partial class ObjectStore
{
    // Serializes commits and every other use of the connection.
    private readonly Lock _commitGate = new();
    // Guards _open, _epoch and _failedEpoch.
    private readonly Lock _queueLock = new();
    private CommitBatch _open = new(0);
    private long _epoch;
    private long _failedEpoch = -1;
    private Exception? _failure;

    // Guarded by _writeLock. The batch holding the last queued write.
    private int _scopeDepth;
    private CommitBatch? _lastQueued;

    private long _transactions;
    private long _committedWrites;

    /// <summary>SQLite transactions committed since start (each holds one or more writes).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Writes committed since start.</summary>
    public long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>Writes queued (resourceVersion allocated) but not yet committed.</summary>
    public long PendingWrites
    {
        get
        {
            lock (_writeLock)
            {
                return _allocatedVersion - CurrentResourceVersion;
            }
        }
    }

    /// <summary>
    /// Takes the write lock for a read-modify-write (reentrant). Disposing the outermost scope leaves the lock and
    /// then waits until every write queued so far is committed (the scope's own, and those it may have read: an
    /// answer such as 409 AlreadyExists or an unchanged object must not rest on a write that could still fail),
    /// throwing <see cref="InvalidOperationException"/> when that transaction failed.
    /// </summary>
    public WriteScope BeginWrite()
    {
        _writeLock.Enter();
        if (_scopeDepth++ == 0)
        {
            RecoverFromFailedCommit();
        }
        return new WriteScope(this);
    }

    private void EndWrite()
    {
        CommitBatch? wait = null;
        if (--_scopeDepth == 0)
        {
            wait = _lastQueued;
        }
        _writeLock.Exit();
        if (wait is not null)
        {
            WaitForCommit(wait);
        }
    }

    /// <summary>Applies a change to the writers' view and queues it; the caller holds the write lock.</summary>
    private void Queue(StoredObject stored, string eventType, bool remove)
    {
        _writers.Apply(stored, remove);
        _allocatedVersion = stored.ResourceVersion;
        lock (_queueLock)
        {
            _open.Writes.Add(new QueuedWrite(stored, eventType, remove));
            _lastQueued = _open;
        }
    }

    private void WaitForCommit(CommitBatch batch)
    {
        if (!batch.Done)
        {
            lock (_commitGate)
            {
                while (!batch.Done)
                {
                    CommitOpen();
                }
            }
        }
        if (batch.Failure is { } failure)
        {
            throw new InvalidOperationException($"the write was not committed: {failure.Message}", failure);
        }
    }

    /// <summary>Commits everything queued in one transaction, then publishes it. Holds the commit gate.</summary>
    private void CommitOpen()
    {
        CommitBatch batch;
        Exception? failedBefore;
        lock (_queueLock)
        {
            batch = _open;
            _open = new CommitBatch(batch.Epoch);
            failedBefore = batch.Epoch == _failedEpoch ? _failure : null;
        }
        if (failedBefore is not null)
        {
            batch.Complete(failedBefore);
            return;
        }
        if (batch.Writes.Count == 0)
        {
            batch.Complete(null);
            return;
        }
        try
        {
            _begin.ExecuteNonQuery();
            try
            {
                foreach (var write in batch.Writes)
                {
                    var stored = write.Stored;
                    if (write.Remove)
                    {
                        Bind(_delete, stored.StorageKey, stored.Namespace, stored.Name).ExecuteNonQuery();
                    }
                    else
                    {
                        Bind(_upsert, stored.StorageKey, stored.Namespace, stored.Name, stored.ResourceVersion, stored.Json).ExecuteNonQuery();
                    }
                }
                Bind(_setVersion, batch.Writes[^1].Stored.ResourceVersion).ExecuteNonQuery();
                _commit.ExecuteNonQuery();
            }
            catch
            {
                RollBackQuietly();
                throw;
            }
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or ObjectDisposedException)
        {
            lock (_queueLock)
            {
                _failedEpoch = batch.Epoch;
                _failure = e;
            }
            batch.Complete(e);
            return;
        }
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _committedWrites, batch.Writes.Count);
        Publish(batch.Writes);
        batch.Complete(null);
    }

    private void RollBackQuietly()
    {
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or ObjectDisposedException)
        {
            // No transaction left to roll back (SQLite may already have rolled it back), or the connection is gone.
        }
    }

    /// <summary>
    /// After a failed commit, at the start of the next write scope: fails what is still queued from before, and
    /// rebuilds the writers' view and the next resourceVersion from what is committed. Holds the write lock.
    /// </summary>
    private void RecoverFromFailedCommit()
    {
        CommitBatch stale;
        lock (_queueLock)
        {
            if (_failedEpoch != _epoch)
            {
                return;
            }
            stale = _open;
            _open = new CommitBatch(++_epoch);
            stale.Complete(_failure);
        }
        lock (_stateLock)
        {
            _writers = _committed.Clone();
            _allocatedVersion = _committedVersion;
        }
        _lastQueued = null;
    }

    /// <summary>Held while a read-modify-write runs; see <see cref="BeginWrite"/>.</summary>
    internal readonly struct WriteScope(ObjectStore store) : IDisposable
    {
        public void Dispose() => store.EndWrite();
    }

    private sealed record QueuedWrite(StoredObject Stored, string EventType, bool Remove);

    /// <summary>Writes committed (or failed) together. Completed under the commit gate or the queue lock.</summary>
    private sealed class CommitBatch(long epoch)
    {
        private volatile bool _done;

        public long Epoch { get; } = epoch;
        public List<QueuedWrite> Writes { get; } = [];
        public bool Done => _done;
        public Exception? Failure { get; private set; }

        public void Complete(Exception? failure)
        {
            Failure = failure;
            _done = true;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"batch of {Writes.Count} (epoch {Epoch})");
    }
}
