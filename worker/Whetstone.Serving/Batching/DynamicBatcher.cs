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
    private readonly object gate = new();
    private readonly LinkedList<Pending> queue = new();
    private readonly BatchingOptions options;
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, IReadOnlyList<TResult>> execute;
    private readonly Func<TItem, object> keyOf;
    private readonly IBatchObserver? observer;
    private readonly Thread thread;
    private bool stopping;
    private int executing;
    private int peakOutstanding;
    private long lastCompleted;
    private double meanBatchSeconds;

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
        this.options = options;
        this.execute = execute ?? throw new ArgumentNullException(nameof(execute));
        this.keyOf = keyOf ?? (_ => string.Empty);
        this.observer = observer;
        lastCompleted = Stopwatch.GetTimestamp() - Ticks(options.MaxDelay) - 1;
        thread = new Thread(Run) { IsBackground = true, Name = "whetstone-batcher" };
        thread.Start();
    }

    /// <summary>Requests waiting for a batch.</summary>
    public int QueueDepth
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
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
        var pending = new Pending(this, item, keyOf(item), cancellationToken);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stopping, this);
            if (queue.Count >= options.QueueCapacity)
            {
                throw new QueueFullException(options.QueueCapacity, EstimateRetryAfter());
            }
            pending.Node = queue.AddLast(pending);
            peakOutstanding = Math.Max(peakOutstanding, queue.Count + executing);
            Monitor.PulseAll(gate);
        }
        pending.Registration = cancellationToken.Register(static state => ((Pending)state!).Cancel(), pending);
        return pending.Completion.Task;
    }

    /// <summary>Stops the batcher thread; requests still queued are cancelled.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            stopping = true;
            Monitor.PulseAll(gate);
        }
        thread.Join();
    }

    private void Run()
    {
        while (TakeBatch() is { } batch)
        {
            Execute(batch);
            lock (gate)
            {
                executing = 0;
                lastCompleted = Stopwatch.GetTimestamp();
            }
        }
    }

    private List<Pending>? TakeBatch()
    {
        lock (gate)
        {
            while (true)
            {
                while (queue.Count == 0 && !stopping)
                {
                    Monitor.Wait(gate);
                }
                if (stopping)
                {
                    CancelQueued();
                    return null;
                }
                WaitForCompanions();
                if (queue.Count == 0 || stopping)
                {
                    continue;
                }
                var batch = TakeCompatible();
                executing = batch.Count;
                peakOutstanding = queue.Count + executing;
                return batch;
            }
        }
    }

    private void WaitForCompanions()
    {
        var target = CalculateTargetSize();
        var deadline = queue.First!.Value.EnqueuedAt + Ticks(options.MaxDelay);
        while (!stopping && queue.First is { } first && CountCompatible(first.Value.Key) < target)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }
            // Whole milliseconds, rounded up: a shorter wait would return at once and spin on the lock.
            Monitor.Wait(gate, (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency));
        }
    }

    /// <summary>How many requests to wait for: 1 after an idle spell, else as many as were outstanding lately.</summary>
    private int CalculateTargetSize()
    {
        var idleTicks = Stopwatch.GetTimestamp() - lastCompleted;
        return idleTicks > Ticks(options.MaxDelay) ? 1 : Math.Clamp(peakOutstanding, 1, options.MaxBatchSize);
    }

    private int CountCompatible(object key)
    {
        var count = 0;
        foreach (var pending in queue)
        {
            if (Equals(pending.Key, key) && ++count >= options.MaxBatchSize)
            {
                break;
            }
        }
        return count;
    }

    private List<Pending> TakeCompatible()
    {
        var key = queue.First!.Value.Key;
        var batch = new List<Pending>();
        for (var node = queue.First; node is not null && batch.Count < options.MaxBatchSize;)
        {
            var next = node.Next;
            if (Equals(node.Value.Key, key))
            {
                queue.Remove(node);
                node.Value.Node = null;
                batch.Add(node.Value);
            }
            node = next;
        }
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
        observer?.BatchStarted(batch.Count);
        try
        {
            var results = execute([.. batch.Select(p => p.Item)], cancellation.Token);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"the model returned {results.Count} results for a batch of {batch.Count}");
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            meanBatchSeconds = meanBatchSeconds == 0 ? seconds : (0.8 * meanBatchSeconds) + (0.2 * seconds);
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

    private void CancelQueued()
    {
        foreach (var pending in queue)
        {
            pending.Node = null;
            pending.Abandon(null);
        }
        queue.Clear();
    }

    private TimeSpan EstimateRetryAfter()
    {
        var batches = Math.Ceiling((double)queue.Count / options.MaxBatchSize);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(batches * meanBatchSeconds)));
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>A batch being run: cancelled when every request in it has been cancelled.</summary>
    private sealed class RunningBatch(CancellationTokenSource cancellation, int size)
    {
        private int interested = size;

        public void Leave()
        {
            if (Interlocked.Decrement(ref interested) != 0)
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
    {
        private readonly object sync = new();
        private RunningBatch? batch;
        private bool left;

        public TItem Item { get; } = item;

        public object Key { get; } = key;

        public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();

        public TaskCompletionSource<BatchedResult<TResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Pending>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Join(RunningBatch running)
        {
            lock (sync)
            {
                batch = running;
                if (Completion.Task.IsCompleted)
                {
                    LeaveOnce();
                }
            }
        }

        public void Cancel()
        {
            lock (owner.gate)
            {
                if (Node is { List: not null })
                {
                    owner.queue.Remove(Node);
                    Node = null;
                }
            }
            Completion.TrySetCanceled(cancellationToken);
            lock (sync)
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
            if (batch is not null && !left)
            {
                left = true;
                batch.Leave();
            }
        }
    }
}
