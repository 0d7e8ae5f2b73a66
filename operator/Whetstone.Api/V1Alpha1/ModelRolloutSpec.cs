using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>How to serve, the stable and canary versions, how traffic is split, and the steps and analysis.</summary>
[CelRule("!has(self.stable) || !has(self.canary) || self.stable.version != self.canary.version",
    Message = "canary.version must differ from stable.version", FieldPath = ".canary.version")]
[CelRule("!has(self.serving) || !has(self.serving.autoscaling) || has(self.serving.autoscaling.prometheus) || has(self.strategy.analysis)",
    Message = "serving.autoscaling needs a Prometheus: set serving.autoscaling.prometheus or strategy.analysis", FieldPath = ".serving.autoscaling.prometheus")]
public sealed record ModelRolloutSpec
{
    /// <summary>How each track is served.</summary>
    public ServingSpec? Serving { get; set; }

    /// <summary>The version serving today.</summary>
    [Required]
    public RolloutTrack Stable { get; set; } = new();

    /// <summary>The version being rolled out.</summary>
    [Required]
    public RolloutTrack Canary { get; set; } = new();

    /// <summary>How traffic is split; omitted: replicaRatio.</summary>
    public TrafficRouting? TrafficRouting { get; set; }

    /// <summary>Steps and analysis.</summary>
    [Required]
    public RolloutStrategy Strategy { get; set; } = new();
}
