using System.Diagnostics;

namespace Whetstone.Serving.Batching;

/// <summary>A request while it waits in a <see cref="RequestQueue{T}"/>.</summary>
internal abstract class QueuedRequest<T>
    where T : QueuedRequest<T>
{
    /// <summary>Its place while queued; null once taken, withdrawn or drained (guarded by the queue's gate).</summary>
    internal LinkedListNode<T>? Node { get; set; }

    public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();

    public CancellationTokenRegistration Registration { get; set; }
}

/// <summary>
/// The bounded first-in-first-out queue of requests waiting for a model, shared by the request-level batcher and the
/// continuous scheduler. One lock, <see cref="Gate"/>, guards it and whatever state its owner keeps beside it (the
/// owner's thread waits on it too). A full queue refuses at once with <see cref="QueueFullException"/> (HTTP 429 with
/// Retry-After), a cancelled request leaves it, and stopping wakes every waiter. Members documented "under the gate"
/// must be called while holding <see cref="Gate"/>.
/// </summary>
internal sealed class RequestQueue<T>(int capacity)
    where T : QueuedRequest<T>
{
    private readonly LinkedList<T> _items = new();

    public object Gate { get; } = new();

    /// <summary>Whether <see cref="Stop"/> was called (under the gate).</summary>
    public bool IsStopping { get; private set; }

    /// <summary>Requests waiting (under the gate).</summary>
    public int Count => _items.Count;

    /// <summary>The oldest request, if any (under the gate).</summary>
    public T? First => _items.First?.Value;

    /// <summary>The requests in arrival order (under the gate; do not take while enumerating).</summary>
    public IEnumerable<T> Items => _items;

    /// <summary>
    /// Queues <paramref name="request"/> and wakes the owner's thread. Throws <see cref="QueueFullException"/> with
    /// <paramref name="retryAfter"/> (computed under the gate) when the queue is at capacity, and
    /// <see cref="ObjectDisposedException"/> naming <paramref name="owner"/> once stopping.
    /// <paramref name="whileQueued"/> runs under the gate right after the request is queued.
    /// </summary>
    public void Enqueue(T request, object owner, Func<TimeSpan> retryAfter, Action? whileQueued = null)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(IsStopping, owner);
            if (_items.Count >= capacity)
            {
                throw new QueueFullException(capacity, retryAfter());
            }
            request.Node = _items.AddLast(request);
            whileQueued?.Invoke();
            Monitor.PulseAll(Gate);
        }
    }

    /// <summary>Takes <paramref name="request"/> out of the queue, if it is still there (under the gate).</summary>
    public void Take(T request)
    {
        if (request.Node is { List: not null } node)
        {
            _items.Remove(node);
        }
        request.Node = null;
    }

    /// <summary>Takes the oldest request (under the gate); null when empty.</summary>
    public T? TakeFirst()
    {
        if (First is not { } first)
        {
            return null;
        }
        Take(first);
        return first;
    }

    /// <summary>A cancelled request leaves the queue, if it is still there (takes the gate).</summary>
    public void Withdraw(T request)
    {
        lock (Gate)
        {
            Take(request);
        }
    }

    /// <summary>Marks the queue stopping and wakes every waiter (takes the gate).</summary>
    public void Stop()
    {
        lock (Gate)
        {
            IsStopping = true;
            Monitor.PulseAll(Gate);
        }
    }

    /// <summary>Empties the queue, handing every request to <paramref name="abandon"/> (under the gate).</summary>
    public void Drain(Action<T> abandon)
    {
        foreach (var request in _items)
        {
            request.Node = null;
            abandon(request);
        }
        _items.Clear();
    }
}
