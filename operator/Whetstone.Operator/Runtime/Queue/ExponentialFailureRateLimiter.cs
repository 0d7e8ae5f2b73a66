using System.Collections.Concurrent;

namespace Whetstone.Operator.Runtime.Queue;

/// <summary>
/// Per-item exponential back-off: <c>baseDelay * 2^failures</c>, capped at <c>maxDelay</c>. Items do not
/// share a budget, so one object that keeps failing never slows the others down.
/// </summary>
public sealed class ExponentialFailureRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _failures = new();

    /// <inheritdoc />
    public TimeSpan When(TKey key)
    {
        var failures = _failures.AddOrUpdate(key, 1, (_, previous) => previous + 1) - 1;
        // 2^failures overflows long before it matters; clamp the exponent first.
        var factor = Math.Pow(2, Math.Min(failures, 62));
        var ticks = baseDelay.Ticks * factor;
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <inheritdoc />
    public void Forget(TKey key) => _failures.TryRemove(key, out _);

    /// <inheritdoc />
    public int Failures(TKey key) => _failures.TryGetValue(key, out var failures) ? failures : 0;
}
