namespace Whetstone.Serving.Metrics;

/// <summary>
/// The <c>outcome</c> label of <c>whetstone_inference_requests_total</c>. A timeout (504) and any server failure
/// (5xx) are <see cref="Error"/>, so the rollout's error-rate query sees them; refusals under load, bad requests and
/// clients that left are counted apart.
/// </summary>
public static class RequestOutcomes
{
    /// <summary>Answered (2xx).</summary>
    public const string Success = "success";

    /// <summary>The server failed or timed out (5xx, 504).</summary>
    public const string Error = "error";

    /// <summary>Refused because the queue was full (429).</summary>
    public const string Rejected = "rejected";

    /// <summary>The request was malformed or too large (4xx other than 429).</summary>
    public const string Invalid = "invalid";

    /// <summary>The client went away before the answer.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every outcome, so each series can start at zero.</summary>
    public static IReadOnlyList<string> All { get; } = [Success, Error, Rejected, Invalid, Cancelled];
}
