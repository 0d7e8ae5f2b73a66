using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// CompressionJob makes a model smaller and faster (pruning, quantization, distillation, conversion to ONNX), then
/// proves the result still matches the original (precision alignment).
/// </summary>
[KubernetesEntity(Group = WhetstoneApi.Group, ApiVersion = WhetstoneApi.Version, Kind = Kinds.CompressionJob, PluralName = Plurals.CompressionJobs)]
[ResourceNames(ShortNames.CompressionJob, "compressionjob")]
[PrinterColumn(0, "Phase", "string", ".status.phase")]
[PrinterColumn(1, "Ratio", "number", ".status.results.compressionRatio", Description = "original size / compressed size")]
[PrinterColumn(2, "Speedup", "number", ".status.results.speedup", Description = "original latency / compressed latency")]
[PrinterColumn(3, "Acc-Drop", "number", ".status.results.accuracyDrop", Description = "absolute accuracy drop")]
[PrinterColumn(4, "Age", "date", ".metadata.creationTimestamp")]
public sealed record CompressionJob : IKubernetesObject<V1ObjectMeta>, ISpec<CompressionJobSpec>, IStatus<CompressionJobStatus?>, IWorkerJob<CompressionJobStatus>
{
    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhetstoneApi.GroupVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Kinds.CompressionJob;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Which model to compress, the steps in order, and how close the result must stay to the original.</summary>
    [Required]
    [JsonPropertyName("spec")]
    public CompressionJobSpec Spec { get; set; } = new();

    /// <summary>What the operator and the worker observed.</summary>
    [JsonPropertyName("status")]
    public CompressionJobStatus? Status { get; set; }

    /// <inheritdoc />
    IWorkerJobSpec IWorkerJob<CompressionJobStatus>.WorkerSpec => Spec;
}
