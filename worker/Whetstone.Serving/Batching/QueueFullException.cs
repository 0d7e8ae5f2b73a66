namespace Whetstone.Serving.Batching;

/// <summary>The batching queue is at capacity; the caller should retry after <see cref="RetryAfter"/>.</summary>
public sealed class QueueFullException : Exception
{
    public QueueFullException()
    {
    }

    public QueueFullException(string message)
        : base(message)
    {
    }

    public QueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public QueueFullException(int capacity, TimeSpan retryAfter)
        : base($"the queue holds its capacity of {capacity} requests; retry after {retryAfter.TotalSeconds:F0} s")
    {
        RetryAfter = retryAfter;
    }

    /// <summary>An estimate of when the queue will have room again.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
