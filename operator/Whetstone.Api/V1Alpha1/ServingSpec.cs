using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>How each track (stable, canary) is served.</summary>
public sealed record ServingSpec
{
    /// <summary>Container port of the inference server (HTTP: /v1/predict, /healthz, /metrics).</summary>
    [Range(Minimum = 1, Maximum = 65535)]
    [DefaultValue(8080)]
    public int? Port { get; set; }

    /// <summary>Serving pods per track (with replicaRatio routing: of the stable track at 0% canary).</summary>
    [Range(Minimum = 1, Maximum = 1000)]
    [DefaultValue(1)]
    public int? Replicas { get; set; }

    /// <summary>What each serving pod asks for and where it may run.</summary>
    public WorkerResources? Resources { get; set; }

    /// <summary>Dynamic batching.</summary>
    public BatchingSettings? Batching { get; set; }

    /// <summary>Pods sized by load instead of a fixed <c>replicas</c> (which then only seeds the first count).</summary>
    public ServingAutoscaling? Autoscaling { get; set; }
}
