using System.Diagnostics;
using System.Net;
using k8s.Autorest;
using k8s.LeaderElection;

namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>
/// The Lease lock the elector uses, which also tells the <see cref="LeaseFence"/> of every acquire and renew that
/// succeeded with this replica as the holder, stamped with the moment the request was sent.
/// An API server that cannot be reached (connection refused or reset, a request timeout) is a failed try, as an error
/// status is: KubernetesClient's elector catches only <see cref="HttpOperationException"/> while acquiring, so a
/// transport error there escaped the election and stopped the operator's host on a one-second API server restart, and
/// while renewing it ended the leadership at the first failed request instead of retrying until the renew deadline.
/// </summary>
public sealed class FencedLeaseLock(ILock inner, LeaseFence fence) : ILock
{
    /// <inheritdoc />
    public string Identity => inner.Identity;

    /// <inheritdoc />
    public string Describe() => inner.Describe();

    /// <inheritdoc />
    public async Task<LeaderElectionRecord> GetAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            // The elector treats any status but 404 on this read as "not acquired this time" and tries again.
            throw new HttpOperationException($"the API server could not be reached to read the lease {Describe()}: {e.Message}", e)
            {
                Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable), string.Empty),
            };
        }
    }

    /// <inheritdoc />
    public async Task<bool> CreateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        var sentAt = Stopwatch.GetTimestamp();
        bool created;
        try
        {
            created = await inner.CreateAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            return false;
        }

        Observe(created, record, sentAt);
        return created;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(LeaderElectionRecord record, CancellationToken cancellationToken = default)
    {
        var sentAt = Stopwatch.GetTimestamp();
        bool updated;
        try
        {
            updated = await inner.UpdateAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            return false;
        }

        Observe(updated, record, sentAt);
        return updated;
    }

    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void Observe(bool written, LeaderElectionRecord record, long sentAt)
    {
        if (written && string.Equals(record.HolderIdentity, Identity, StringComparison.Ordinal))
        {
            fence.Renewed(sentAt);
        }
    }
}
