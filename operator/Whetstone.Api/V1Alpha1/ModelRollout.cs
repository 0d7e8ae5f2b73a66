using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// ModelRollout ships a model version to real traffic step by step (canary / A-B), watches the north-star and
/// operational metrics in Prometheus, and promotes or rolls back on its own.
/// </summary>
[KubernetesEntity(Group = WhetstoneApi.Group, ApiVersion = WhetstoneApi.Version, Kind = Kinds.ModelRollout, PluralName = Plurals.ModelRollouts)]
[ResourceNames(ShortNames.ModelRollout, "modelrollout")]
[PrinterColumn(0, "Phase", "string", ".status.phase")]
[PrinterColumn(1, "Step", "integer", ".status.currentStep")]
[PrinterColumn(2, "Weight", "integer", ".status.canaryWeight", Description = "Percent of traffic on the canary")]
[PrinterColumn(3, "Stable", "string", ".status.stableVersion")]
[PrinterColumn(4, "Canary", "string", ".status.canaryVersion")]
[PrinterColumn(5, "Age", "date", ".metadata.creationTimestamp")]
public sealed record ModelRollout : IKubernetesObject<V1ObjectMeta>, ISpec<ModelRolloutSpec>, IStatus<ModelRolloutStatus?>
{
    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhetstoneApi.GroupVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Kinds.ModelRollout;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>How to serve, the stable and canary versions, how traffic is split, and the steps and analysis.</summary>
    [Required]
    [JsonPropertyName("spec")]
    public ModelRolloutSpec Spec { get; set; } = new();

    /// <summary>Where the rollout stands.</summary>
    [JsonPropertyName("status")]
    public ModelRolloutStatus? Status { get; set; }
}
