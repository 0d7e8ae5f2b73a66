using System.Diagnostics;

namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>
/// This replica's own, local view of whether it may still act as the leader: open from a successful acquire or renew
/// of the Lease until <see cref="Validity"/> has passed without another one (measured on the monotonic clock from the
/// moment that renew was <em>sent</em>, so never later than any other replica's view of it). The other replicas take
/// over only a whole lease duration after they saw that renew, and the validity is the shorter renew deadline, so a
/// leader that was paused (a stopped process, a cut network) finds its fence closed before anyone else can lead, even
/// before its elector has noticed. Every write of the operator passes the fence (<see cref="LeaseFenceHandler"/>).
/// </summary>
public sealed class LeaseFence(TimeSpan validity)
{
    private readonly Lock _gate = new();
    private long _renewedAt;
    private bool _held;
    private CancellationTokenSource? _work;
    private long _refused;

    /// <summary>How long a renew keeps the fence open (the election's renew deadline).</summary>
    public TimeSpan Validity { get; } = validity;

    /// <summary>True while this replica holds the Lease by its own last renew.</summary>
    public bool IsHeld
    {
        get
        {
            lock (_gate)
            {
                return _held && Stopwatch.GetElapsedTime(_renewedAt) < Validity;
            }
        }
    }

    /// <summary>Writes refused so far because the fence was closed.</summary>
    public long RefusedWrites => Interlocked.Read(ref _refused);

    /// <summary>Records a successful acquire or renew whose request was sent at <paramref name="sentAt"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Renewed(long sentAt)
    {
        lock (_gate)
        {
            _renewedAt = _held ? Math.Max(_renewedAt, sentAt) : sentAt;
            _held = true;
        }
    }

    /// <summary>Closes the fence (leadership ended) and forgets the work it guarded.</summary>
    public void Released()
    {
        lock (_gate)
        {
            _held = false;
            _work = null;
        }
    }

    /// <summary>The leader's work, cancelled the moment a write finds the fence closed.</summary>
    public void Guard(CancellationTokenSource work)
    {
        lock (_gate)
        {
            _work = work;
        }
    }

    /// <summary>
    /// Throws <see cref="LeaseNotHeldException"/> (and cancels the guarded work) when the fence is closed; otherwise
    /// returns at once.
    /// </summary>
    public void EnsureHeld(string write)
    {
        CancellationTokenSource? work;
        TimeSpan since;
        bool held;
        lock (_gate)
        {
            since = Stopwatch.GetElapsedTime(_renewedAt);
            held = _held;
            if (held && since < Validity)
            {
                return;
            }

            work = _work;
        }

        Interlocked.Increment(ref _refused);
        try
        {
            work?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The work already ended.
        }

        throw new LeaseNotHeldException(write, held ? since : null, Validity);
    }
}
