using System.Text.Json.Serialization;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>How traffic is split between stable and canary; at most one method; omitted: replicaRatio.</summary>
[CelRule("!(has(self.gatewayAPI) && has(self.replicaRatio))",
    Message = "at most one of gatewayAPI or replicaRatio may be set")]
[CelRule("!has(self.stickyKey) || has(self.gatewayAPI)",
    Message = "stickyKey needs gatewayAPI routing: replicaRatio (also the default when gatewayAPI is not set) splits per connection, so a user cannot keep one track",
    FieldPath = ".stickyKey")]
public sealed record TrafficRouting
{
    /// <summary>Weights on a Gateway API HTTPRoute.</summary>
    [JsonPropertyName("gatewayAPI")]
    public GatewayApiRouting? GatewayAPI { get; set; }

    /// <summary>Split by replica counts.</summary>
    [JsonPropertyName("replicaRatio")]
    public ReplicaRatioRouting? ReplicaRatio { get; set; }

    /// <summary>
    /// Sticky assignment for A/B tests: the name of a request header that identifies the user (such as
    /// <c>x-user-id</c>). A request carrying it goes to the track its bucket (a stable hash of the value) falls in,
    /// so a user keeps one track, and raising the weight only moves users from stable to canary. Requests without
    /// the header are split per request. Needs <c>gatewayAPI</c>; the operator writes it to the HTTPRoute's
    /// <c>whetstone.dev/sticky-header</c> annotation, which the gateway must honour (the embedded one does).
    /// </summary>
    [Length(Min = 1, Max = 256)]
    [Pattern(Patterns.HttpHeaderName)]
    public string? StickyKey { get; set; }
}
