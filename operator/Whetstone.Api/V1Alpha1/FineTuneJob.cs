using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// FineTuneJob adapts a base model to a domain with a curated, versioned dataset (LoRA first, full fine-tune when
/// asked), watching the loss as it trains.
/// </summary>
[KubernetesEntity(Group = WhetstoneApi.Group, ApiVersion = WhetstoneApi.Version, Kind = Kinds.FineTuneJob, PluralName = Plurals.FineTuneJobs)]
[ResourceNames(ShortNames.FineTuneJob, "finetunejob")]
[PrinterColumn(0, "Phase", "string", ".status.phase")]
[PrinterColumn(1, "Progress", "integer", ".status.progress.percent", Description = "Percent of the training steps done")]
[PrinterColumn(2, "Loss", "number", ".status.metrics.trainLoss")]
[PrinterColumn(3, "Val-Loss", "number", ".status.metrics.validationLoss")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
public sealed record FineTuneJob : IKubernetesObject<V1ObjectMeta>, ISpec<FineTuneJobSpec>, IStatus<FineTuneJobStatus?>, IWorkerJob<FineTuneJobStatus>
{
    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhetstoneApi.GroupVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Kinds.FineTuneJob;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>What to fine-tune, on which data, how, and where to put the result.</summary>
    [Required]
    [JsonPropertyName("spec")]
    public FineTuneJobSpec Spec { get; set; } = new();

    /// <summary>What the operator and the worker observed.</summary>
    [JsonPropertyName("status")]
    public FineTuneJobStatus? Status { get; set; }

    /// <inheritdoc />
    IWorkerJobSpec IWorkerJob<FineTuneJobStatus>.WorkerSpec => Spec;
}
