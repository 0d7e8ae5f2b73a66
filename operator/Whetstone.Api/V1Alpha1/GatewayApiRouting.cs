using System.Text.Json.Serialization;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Split traffic with the weights on a Gateway API HTTPRoute's backendRefs.</summary>
public sealed record GatewayApiRouting
{
    /// <summary>Name of the HTTPRoute in this namespace; the operator sets the weights of its stable and canary backendRefs.</summary>
    [Required]
    [Length(Min = 1, Max = 253)]
    [Pattern(Patterns.ObjectName)]
    [JsonPropertyName("httpRoute")]
    public string HttpRoute { get; set; } = "";
}
