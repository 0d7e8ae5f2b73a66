namespace Whetstone.Serving.Http;

/// <summary>Response headers every answer carries, so a client can send feedback about the track that served it.</summary>
public static class ServingHeaders
{
    /// <summary>The request id (it encodes track and version; see <c>RequestIdCodec</c>).</summary>
    public const string RequestId = "x-request-id";

    /// <summary>The model version that served the request.</summary>
    public const string Version = "x-whetstone-version";

    /// <summary>The rollout track that served the request.</summary>
    public const string Track = "x-whetstone-track";
}
