namespace Whetstone.Operator.Runtime.Queue;

/// <summary>
/// A work queue with the guarantees controllers rely on (the same ones as client-go's workqueue):
/// <list type="bullet">
/// <item>a key added many times before it is taken is processed once (duplicates collapse);</item>
/// <item>a key is never handed to two workers at once: added while processing, it is queued again only
/// when the worker calls <see cref="Done"/>;</item>
/// <item>delayed adds (<see cref="AddAfter"/>) keep only the earliest due time per key, so a requested
/// requeue is never lost and never doubled;</item>
/// <item>failures back off per item through an <see cref="IRateLimiter{TKey}"/>.</item>
/// </list>
/// </summary>
public sealed class WorkQueue<TKey> : IAsyncDisposable
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Queue<TKey> _ready = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, DateTimeOffset> _waitingDue = [];
    private readonly PriorityQueue<TKey, DateTimeOffset> _waiting = new();
    private readonly IRateLimiter<TKey> _rateLimiter;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _readySignal = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Task _delayLoop;
    private TaskCompletionSource _waitingChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a queue; <paramref name="time"/> defaults to the system clock.</summary>
    public WorkQueue(IRateLimiter<TKey> rateLimiter, TimeProvider? time = null)
    {
        _rateLimiter = rateLimiter;
        _time = time ?? TimeProvider.System;
        _delayLoop = Task.Run(RunDelayLoopAsync);
    }

    /// <summary>Keys ready to be taken (not counting those being processed or waiting on a delay).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Keys waiting for a delayed add to become due.</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waitingDue.Count;
            }
        }
    }

    /// <summary>True once <see cref="ShutDown"/> was called.</summary>
    public bool IsShuttingDown => _shutdown.IsCancellationRequested;

    /// <summary>Marks <paramref name="key"/> as needing work.</summary>
    public void Add(TKey key)
    {
        lock (_gate)
        {
            if (IsShuttingDown || !_dirty.Add(key))
            {
                return;
            }

            if (_processing.Contains(key))
            {
                return;
            }

            _ready.Enqueue(key);
        }

        _readySignal.Release();
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed; the earliest pending due time wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        var due = _time.GetUtcNow() + delay;
        lock (_gate)
        {
            if (IsShuttingDown)
            {
                return;
            }

            if (_waitingDue.TryGetValue(key, out var existing) && existing <= due)
            {
                return;
            }

            _waitingDue[key] = due;
            _waiting.Enqueue(key, due);
            _waitingChanged.TrySetResult();
        }
    }

    /// <summary>Adds <paramref name="key"/> after its back-off delay (one more failure counted).</summary>
    public void AddRateLimited(TKey key) => AddAfter(key, _rateLimiter.When(key));

    /// <summary>Clears the failure count of <paramref name="key"/> (call after a successful reconcile).</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    /// <summary>How many times <paramref name="key"/> has failed in a row.</summary>
    public int Failures(TKey key) => _rateLimiter.Failures(key);

    /// <summary>
    /// Waits for a key and marks it as processing. Returns <c>default</c> with <c>false</c> once the queue is shut
    /// down and drained. The caller must call <see cref="Done"/> with the key when finished.
    /// </summary>
    public async Task<(bool Ok, TKey Key)> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_ready.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    return (true, key);
                }

                if (IsShuttingDown)
                {
                    return (false, default!);
                }
            }

            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
            try
            {
                await _readySignal.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Shut down: loop once more to drain or return.
            }
        }
    }

    /// <summary>Ends processing of <paramref name="key"/>; if it was added meanwhile it becomes ready again.</summary>
    public void Done(TKey key)
    {
        var requeued = false;
        lock (_gate)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !IsShuttingDown)
            {
                _ready.Enqueue(key);
                requeued = true;
            }
        }

        if (requeued)
        {
            _readySignal.Release();
        }
    }

    /// <summary>Stops accepting keys and wakes every waiting taker.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            if (IsShuttingDown)
            {
                return;
            }

            _shutdown.Cancel();
            _waitingChanged.TrySetResult();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        ShutDown();
        await _delayLoop.ConfigureAwait(false);
        _readySignal.Dispose();
        _shutdown.Dispose();
    }

    private async Task RunDelayLoopAsync()
    {
        while (!IsShuttingDown)
        {
            Task changed;
            TimeSpan? wait = null;
            var due = new List<TKey>();
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                while (_waiting.TryPeek(out var key, out var at))
                {
                    // Entries superseded by an earlier due time stay in the heap; skip them.
                    if (!_waitingDue.TryGetValue(key, out var current) || current != at)
                    {
                        _waiting.Dequeue();
                        continue;
                    }

                    if (at > now)
                    {
                        wait = at - now;
                        break;
                    }

                    _waiting.Dequeue();
                    _waitingDue.Remove(key);
                    due.Add(key);
                }

                if (_waitingChanged.Task.IsCompleted)
                {
                    _waitingChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                changed = _waitingChanged.Task;
            }

            foreach (var key in due)
            {
                Add(key);
            }

            if (due.Count > 0)
            {
                continue;
            }

            var delay = wait is { } w ? Task.Delay(w, _time) : Task.Delay(Timeout.InfiniteTimeSpan, _time, _shutdown.Token);
            try
            {
                await Task.WhenAny(changed, delay).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
