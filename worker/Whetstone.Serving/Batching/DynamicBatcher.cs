using System.Diagnostics;

namespace Whetstone.Serving.Batching;

/// <summary>
/// Groups requests into batches for a model that runs one batch at a time, on its own thread.
/// A batch is dispatched when it holds <see cref="BatchingOptions.MaxBatchSize"/> requests or its oldest request
/// has waited <see cref="BatchingOptions.MaxDelay"/>, whichever comes first, and it never waits at all when the
/// server was idle: the delay only pays off when more requests are on their way, and how many are expected is the
/// most requests that were outstanding (queued or running) during the previous batch. So a lone request at low
/// load runs at once (batch 1) and closed-loop load of C clients forms batches of about C.
/// Only requests with equal keys share a batch (generation with equal sampling settings); others wait their turn
/// in arrival order. A cancelled request leaves the queue; a batch whose requests were all cancelled is cancelled.
/// </summary>
public sealed class DynamicBatcher<TItem, TResult> : IDisposable
{
    private readonly RequestQueue<Pending> _queue;
    private readonly BatchingOptions _options;
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, IReadOnlyList<TResult>> _execute;
    private readonly Func<TItem, object> _keyOf;
    private readonly IBatchObserver? _observer;
    private readonly Thread _thread;
    private int _executing;
    private int _peakOutstanding;
    private long _lastCompleted;
    private double _meanBatchSeconds;

    /// <param name="options">Batch size, delay and queue bounds.</param>
    /// <param name="execute">Runs one batch; returns one result per item, in order. Called on the batcher's thread only.</param>
    /// <param name="keyOf">Items with equal keys may share a batch.</param>
    /// <param name="observer">Told about every batch (metrics); optional.</param>
    public DynamicBatcher(BatchingOptions options, Func<IReadOnlyList<TItem>, CancellationToken, IReadOnlyList<TResult>> execute,
        Func<TItem, object>? keyOf = null, IBatchObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDelay, TimeSpan.Zero);
        this._options = options;
        _queue = new RequestQueue<Pending>(options.QueueCapacity);
        this._execute = execute ?? throw new ArgumentNullException(nameof(execute));
        this._keyOf = keyOf ?? (_ => string.Empty);
        this._observer = observer;
        _lastCompleted = Stopwatch.GetTimestamp() - Ticks(options.MaxDelay) - 1;
        _thread = new Thread(Run) { IsBackground = true, Name = "whetstone-batcher" };
        _thread.Start();
    }

    /// <summary>Requests waiting for a batch.</summary>
    public int QueueDepth
    {
        get
        {
            lock (_queue.Gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="item"/> and completes with its result once its batch has run. Throws
    /// <see cref="QueueFullException"/> at once when the queue is full; cancelling <paramref name="cancellationToken"/>
    /// takes the request out of the queue (or out of its batch's interest).
    /// </summary>
    public Task<BatchedResult<TResult>> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(this, item, _keyOf(item), cancellationToken);
        _queue.Enqueue(pending, this, EstimateRetryAfter, () => _peakOutstanding = Math.Max(_peakOutstanding, _queue.Count + _executing));
        pending.Registration = cancellationToken.Register(static state => ((Pending)state!).Cancel(), pending);
        return pending.Completion.Task;
    }

    /// <summary>Stops the batcher thread; requests still queued are cancelled.</summary>
    public void Dispose()
    {
        _queue.Stop();
        _thread.Join();
    }

    private void Run()
    {
        while (TakeBatch() is { } batch)
        {
            Execute(batch);
            lock (_queue.Gate)
            {
                _executing = 0;
                _lastCompleted = Stopwatch.GetTimestamp();
            }
        }
    }

    private List<Pending>? TakeBatch()
    {
        lock (_queue.Gate)
        {
            while (true)
            {
                while (_queue.Count == 0 && !_queue.IsStopping)
                {
                    Monitor.Wait(_queue.Gate);
                }
                if (_queue.IsStopping)
                {
                    _queue.Drain(pending => pending.Abandon(null));
                    return null;
                }
                WaitForCompanions();
                if (_queue.Count == 0 || _queue.IsStopping)
                {
                    continue;
                }
                var batch = TakeCompatible();
                _executing = batch.Count;
                _peakOutstanding = _queue.Count + _executing;
                return batch;
            }
        }
    }

    private void WaitForCompanions()
    {
        var target = CalculateTargetSize();
        var deadline = _queue.First!.EnqueuedAt + Ticks(_options.MaxDelay);
        while (!_queue.IsStopping && _queue.First is { } first && CountCompatible(first.Key) < target)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }
            // Whole milliseconds, rounded up: a shorter wait would return at once and spin on the lock.
            Monitor.Wait(_queue.Gate, (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency));
        }
    }

    /// <summary>How many requests to wait for: 1 after an idle spell, else as many as were outstanding lately.</summary>
    private int CalculateTargetSize()
    {
        var idleTicks = Stopwatch.GetTimestamp() - _lastCompleted;
        return idleTicks > Ticks(_options.MaxDelay) ? 1 : Math.Clamp(_peakOutstanding, 1, _options.MaxBatchSize);
    }

    private int CountCompatible(object key)
    {
        var count = 0;
        foreach (var pending in _queue.Items)
        {
            if (Equals(pending.Key, key) && ++count >= _options.MaxBatchSize)
            {
                break;
            }
        }
        return count;
    }

    private List<Pending> TakeCompatible()
    {
        var key = _queue.First!.Key;
        var batch = _queue.Items.Where(pending => Equals(pending.Key, key)).Take(_options.MaxBatchSize).ToList();
        batch.ForEach(_queue.Take);
        return batch;
    }

    private void Execute(List<Pending> batch)
    {
        using var cancellation = new CancellationTokenSource();
        var running = new RunningBatch(cancellation, batch.Count);
        foreach (var pending in batch)
        {
            pending.Join(running);
        }
        var started = Stopwatch.GetTimestamp();
        _observer?.BatchStarted(batch.Count);
        try
        {
            var results = _execute([.. batch.Select(p => p.Item)], cancellation.Token);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"the model returned {results.Count} results for a batch of {batch.Count}");
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            _meanBatchSeconds = _meanBatchSeconds == 0 ? seconds : (0.8 * _meanBatchSeconds) + (0.2 * seconds);
            for (var i = 0; i < batch.Count; i++)
            {
                var queued = (double)(started - batch[i].EnqueuedAt) / Stopwatch.Frequency;
                batch[i].Complete(new BatchedResult<TResult>(results[i], queued, seconds, batch.Count));
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            batch.ForEach(p => p.Abandon(null));
        }
#pragma warning disable CA1031 // a failed batch fails its requests, never the batcher thread
        catch (Exception error)
#pragma warning restore CA1031
        {
            batch.ForEach(p => p.Abandon(error));
        }
    }

    private TimeSpan EstimateRetryAfter()
    {
        var batches = Math.Ceiling((double)_queue.Count / _options.MaxBatchSize);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(batches * _meanBatchSeconds)));
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>A batch being run: cancelled when every request in it has been cancelled.</summary>
    private sealed class RunningBatch(CancellationTokenSource cancellation, int size)
    {
        private int _interested = size;

        public void Leave()
        {
            if (Interlocked.Decrement(ref _interested) != 0)
            {
                return;
            }
            try
            {
                cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the batch had already finished
            }
        }
    }

    private sealed class Pending(DynamicBatcher<TItem, TResult> owner, TItem item, object key, CancellationToken cancellationToken)
        : QueuedRequest<Pending>
    {
        private readonly object _sync = new();
        private RunningBatch? _batch;
        private bool _left;

        public TItem Item { get; } = item;

        public object Key { get; } = key;

        public TaskCompletionSource<BatchedResult<TResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Join(RunningBatch running)
        {
            lock (_sync)
            {
                _batch = running;
                if (Completion.Task.IsCompleted)
                {
                    LeaveOnce();
                }
            }
        }

        public void Cancel()
        {
            owner._queue.Withdraw(this);
            Completion.TrySetCanceled(cancellationToken);
            lock (_sync)
            {
                LeaveOnce();
            }
        }

        public void Complete(BatchedResult<TResult> result)
        {
            Completion.TrySetResult(result);
            Registration.Unregister();
        }

        public void Abandon(Exception? error)
        {
            _ = error is null ? Completion.TrySetCanceled() : Completion.TrySetException(error);
            Registration.Unregister();
        }

        private void LeaveOnce()
        {
            if (_batch is not null && !_left)
            {
                _left = true;
                _batch.Leave();
            }
        }
    }
}
