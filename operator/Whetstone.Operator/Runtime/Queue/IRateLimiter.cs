namespace Whetstone.Operator.Runtime.Queue;

/// <summary>Decides how long an item waits before it is retried after a failure.</summary>
/// <typeparam name="TKey">The queue's key type.</typeparam>
public interface IRateLimiter<in TKey>
    where TKey : notnull
{
    /// <summary>The delay before the next retry of <paramref name="key"/>; each call counts one more failure.</summary>
    TimeSpan When(TKey key);

    /// <summary>Forgets the failures of <paramref name="key"/>: its next failure starts from the base delay again.</summary>
    void Forget(TKey key);

    /// <summary>How many failures of <paramref name="key"/> have been counted since it was last forgotten.</summary>
    int Failures(TKey key);
}
