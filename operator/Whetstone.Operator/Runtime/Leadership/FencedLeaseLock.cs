using System.Diagnostics;
using k8s.LeaderElection;

namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>
/// The Lease lock the elector uses, which also tells the <see cref="LeaseFence"/> of every acquire and renew that
/// succeeded with this replica as the holder, stamped with the moment the request was sent.
/// </summary>
public sealed class FencedLeaseLock(ILock inner, LeaseFence fence) : ILock
{
    /// <inheritdoc />
    public string Identity => inner.Identity;

    /// <inheritdoc />
    public string Describe() => inner.Describe();

    /// <inheritdoc />
    public Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default) => inner.GetAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var created = await inner.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        Observe(created, record, sentAt);
        return created;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        var sentAt = Stopwatch.GetTimestamp();
        var updated = await inner.UpdateAsync(record, cancellationToken).ConfigureAwait(false);
        Observe(updated, record, sentAt);
        return updated;
    }

    private void Observe(bool written, LeaderElectionRecord record, long sentAt)
    {
        if (written && string.Equals(record.HolderIdentity, Identity, StringComparison.Ordinal))
        {
            fence.Renewed(sentAt);
        }
    }
}
