using System.Text.Json.Serialization;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>How traffic is split between stable and canary; at most one method; omitted: replicaRatio.</summary>
[CelRule("!(has(self.gatewayAPI) && has(self.replicaRatio))",
    Message = "at most one of gatewayAPI or replicaRatio may be set")]
public sealed record TrafficRouting
{
    /// <summary>Weights on a Gateway API HTTPRoute.</summary>
    [JsonPropertyName("gatewayAPI")]
    public GatewayApiRouting? GatewayAPI { get; set; }

    /// <summary>Split by replica counts.</summary>
    [JsonPropertyName("replicaRatio")]
    public ReplicaRatioRouting? ReplicaRatio { get; set; }
}
