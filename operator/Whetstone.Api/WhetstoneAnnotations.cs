namespace Whetstone.Api;

/// <summary>
/// Annotations users set to steer an object by hand, so <c>kubectl annotate</c> and GitOps both work.
/// </summary>
public static class WhetstoneAnnotations
{
    /// <summary>ModelRollout: <c>step</c> ends the current pause, <c>full</c> skips to 100% and promotes.</summary>
    public const string Promote = "whetstone.dev/promote";

    /// <summary>ModelRollout: <c>true</c> rolls the canary back now.</summary>
    public const string Abort = "whetstone.dev/abort";

    /// <summary><c>true</c> retries a Failed job or a RolledBack rollout from the start.</summary>
    public const string Retry = "whetstone.dev/retry";

    /// <summary>
    /// HTTPRoute: the request header whose value assigns a user to a backend by a stable hash bucket (written by the
    /// ModelRollout controller from <c>spec.trafficRouting.stickyKey</c>; honoured by the embedded gateway).
    /// </summary>
    public const string StickyHeader = "whetstone.dev/sticky-header";

    /// <summary>Value of <see cref="Promote"/> that ends the current pause.</summary>
    public const string PromoteStep = "step";

    /// <summary>Value of <see cref="Promote"/> that promotes the canary fully.</summary>
    public const string PromoteFull = "full";

    /// <summary>Value of <see cref="Abort"/> and <see cref="Retry"/> that triggers them.</summary>
    public const string True = "true";
}
