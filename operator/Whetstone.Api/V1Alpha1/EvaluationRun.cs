using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// EvaluationRun scores a model against held-out data and a baseline: task accuracy, general abilities (no
/// catastrophic forgetting), speed, and a report a person can read.
/// </summary>
[KubernetesEntity(Group = WhetstoneApi.Group, ApiVersion = WhetstoneApi.Version, Kind = Kinds.EvaluationRun, PluralName = Plurals.EvaluationRuns)]
[ResourceNames(ShortNames.EvaluationRun, "evaluationrun")]
[PrinterColumn(0, "Phase", "string", ".status.phase")]
[PrinterColumn(1, "Verdict", "string", ".status.verdict")]
[PrinterColumn(2, "Model", "string", ".spec.model.name")]
[PrinterColumn(3, "Age", "date", ".metadata.creationTimestamp")]
public sealed record EvaluationRun : IKubernetesObject<V1ObjectMeta>, ISpec<EvaluationRunSpec>, IStatus<EvaluationRunStatus?>, IWorkerJob<EvaluationRunStatus>
{
    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhetstoneApi.GroupVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Kinds.EvaluationRun;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The model, its baseline, the suites to run and the gates that decide the verdict.</summary>
    [Required]
    [JsonPropertyName("spec")]
    public EvaluationRunSpec Spec { get; set; } = new();

    /// <summary>What the operator and the worker observed.</summary>
    [JsonPropertyName("status")]
    public EvaluationRunStatus? Status { get; set; }

    /// <inheritdoc />
    IWorkerJobSpec IWorkerJob<EvaluationRunStatus>.WorkerSpec => Spec;
}
