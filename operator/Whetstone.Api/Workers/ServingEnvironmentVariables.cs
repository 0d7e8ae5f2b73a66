namespace Whetstone.Api.Workers;

/// <summary>
/// The environment variables through which a serving pod (<c>whetstone-worker serve</c>) learns what it serves: the
/// ModelRollout controller sets them, the server reads them when the matching command-line option is absent.
/// </summary>
public static class ServingEnvironmentVariables
{
    /// <summary>The ModelRollout's name (metric label <c>rollout</c>).</summary>
    public const string Rollout = "WHETSTONE_ROLLOUT";

    /// <summary>The track this pod serves: <c>stable</c>, <c>canary</c> or an A/B name (metric label <c>track</c>).</summary>
    public const string Track = "WHETSTONE_TRACK";

    /// <summary>The model version served (metric label <c>version</c>, header <c>x-whetstone-version</c>).</summary>
    public const string Version = "WHETSTONE_MODEL_VERSION";

    /// <summary>The model's directory or URI (<c>file://</c>, <c>s3://</c>) when <c>--model</c> is absent.</summary>
    public const string Model = "WHETSTONE_MODEL_URI";

    /// <summary>The address to listen on, usually from the downward API (<c>status.podIP</c>); default 0.0.0.0.</summary>
    public const string Host = "WHETSTONE_SERVING_HOST";

    /// <summary>
    /// The Pod's own address, set by the embedded cluster's node (every Pod there has its own loopback address and
    /// a wildcard bind would collide with the Service proxy's ports); the server listens on it when
    /// <see cref="Host"/> is not set. Unset on a real cluster, where the server listens on 0.0.0.0.
    /// </summary>
    public const string EmbeddedPodIp = "WHETSTONE_POD_IP";

    /// <summary>
    /// Secret shared by a rollout's replicas to sign request ids, so feedback cannot be credited to a track with a
    /// forged id (from a Secret; unset: ids are prefixed, not signed).
    /// </summary>
    public const string FeedbackKey = "WHETSTONE_FEEDBACK_KEY";
}
