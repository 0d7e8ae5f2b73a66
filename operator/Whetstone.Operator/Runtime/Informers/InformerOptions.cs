namespace Whetstone.Operator.Runtime.Informers;

/// <summary>Timings of an informer; the defaults suit a real cluster and the embedded one alike.</summary>
public sealed record InformerOptions
{
    /// <summary>Objects per list page.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>How long one watch request may stay open before it is renewed from the last resourceVersion.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The first delay after a failed list or watch; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
