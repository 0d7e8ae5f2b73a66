using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// Serving pods sized by load. The operator applies the rule itself from Prometheus (the embedded default has no
/// metrics server, and the same rule runs on a cluster), with Kubernetes' HorizontalPodAutoscaler formula:
/// desired = ceil(current × value / target), kept within minReplicas and maxReplicas, up at once, down only to the
/// highest recommendation of the stabilization window.
/// </summary>
[CelRule("self.minReplicas <= self.maxReplicas", Message = "minReplicas must not exceed maxReplicas", FieldPath = ".minReplicas")]
[CelRule("has(self.targetInFlightPerReplica) || has(self.targetP99Ms)",
    Message = "set targetInFlightPerReplica, targetP99Ms or both", FieldPath = ".targetInFlightPerReplica")]
public sealed record ServingAutoscaling
{
    /// <summary>Fewest pods per track (of the whole rollout with replicaRatio routing).</summary>
    [Required]
    [Range(Minimum = 1, Maximum = 1000)]
    public int MinReplicas { get; set; } = 1;

    /// <summary>Most pods per track (of the whole rollout with replicaRatio routing).</summary>
    [Required]
    [Range(Minimum = 1, Maximum = 1000)]
    public int MaxReplicas { get; set; } = 1;

    /// <summary>Requests in flight (queued or running) per ready pod that the pods are sized for, averaged over 30 s.</summary>
    [Range(Minimum = 1, Maximum = 100000)]
    public int? TargetInFlightPerReplica { get; set; }

    /// <summary>The P99 request duration, in milliseconds, that the pods are sized for (over the last minute).</summary>
    [Range(Minimum = 1, Maximum = 600000)]
    public int? TargetP99Ms { get; set; }

    /// <summary>How often the load is measured.</summary>
    [DefaultValue("15s")]
    [Pattern(Patterns.Duration)]
    public string? Interval { get; set; }

    /// <summary>A scale-down goes only to the highest recommendation over this window, so replicas do not flap.</summary>
    [DefaultValue("5m")]
    [Pattern(Patterns.Duration)]
    public string? ScaleDownStabilization { get; set; }

    /// <summary>Where the load is read; omitted: spec.strategy.analysis.prometheus.</summary>
    public PrometheusSource? Prometheus { get; set; }
}
