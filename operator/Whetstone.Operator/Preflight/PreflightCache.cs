using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Preflight;

/// <summary>
/// Keeps one verdict per job uid and generation, so the check runs once per generation rather than on every
/// reconcile: a Passed or Failed verdict is final for its generation; a Waiting one is reused until its back-off
/// delay (<see cref="PreflightOptions.RetryBaseDelay"/> doubling up to <see cref="PreflightOptions.RetryMaxDelay"/>)
/// has passed, so the status writes and watch events a wait causes never hammer the artifact store.
/// </summary>
public sealed class PreflightCache(IOptions<PreflightOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The cached verdict of this generation, or runs <paramref name="check"/> and caches what it says.</summary>
    public async Task<PreflightVerdict> GetOrCheckAsync(string uid, long generation, Func<Task<PreflightVerdict>> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var now = time.GetUtcNow();
        var waitsSoFar = 0;
        if (_entries.TryGetValue(uid, out var entry) && entry.Generation == generation)
        {
            if (entry.Verdict.Outcome is PreflightOutcome.Passed or PreflightOutcome.Failed)
            {
                return entry.Verdict;
            }

            if (entry.NextCheck > now)
            {
                return entry.Verdict with { RetryAfter = entry.NextCheck - now };
            }

            waitsSoFar = entry.Waits;
        }

        var verdict = await check().ConfigureAwait(false);
        if (verdict.Outcome == PreflightOutcome.Waiting)
        {
            var waits = waitsSoFar + 1;
            var delay = RetryPolicy.Delay(waits, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);
            verdict = verdict with { RetryAfter = delay };
            _entries[uid] = new Entry(generation, verdict, waits, now + delay);
        }
        else
        {
            _entries[uid] = new Entry(generation, verdict, 0, now);
        }

        return verdict;
    }

    /// <summary>Drops a deleted job's verdict.</summary>
    public void Forget(string uid) => _entries.TryRemove(uid, out _);

    private sealed record Entry(long Generation, PreflightVerdict Verdict, int Waits, DateTimeOffset NextCheck);
}
