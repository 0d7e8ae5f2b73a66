namespace Whetstone.Operator.Runtime.Leadership;

/// <summary>
/// Sits in the operator's API client: every write (anything but GET, HEAD and OPTIONS) other than the Lease's own
/// renewals passes the <see cref="LeaseFence"/> first, so a leader that lost the Lease without noticing (paused past
/// it) sends no write once its renew deadline has passed. Reads and watches are never refused.
/// </summary>
public sealed class LeaseFenceHandler(LeaseFence fence) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsWrite(request) && !IsLeaseRequest(request))
        {
            fence.EnsureHeld($"{request.Method} {request.RequestUri?.AbsolutePath}");
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static bool IsWrite(HttpRequestMessage request) =>
        request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && request.Method != HttpMethod.Options;

    private static bool IsLeaseRequest(HttpRequestMessage request) =>
        request.RequestUri?.AbsolutePath.Contains("/apis/coordination.k8s.io/", StringComparison.Ordinal) == true;
}
