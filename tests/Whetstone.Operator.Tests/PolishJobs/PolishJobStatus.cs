using System.Text.Json.Serialization;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Tests.PolishJobs;

public sealed record PolishJobStatus : IWorkerJobStatus
{
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("startTime")]
    public DateTime? StartTime { get; set; }

    [JsonPropertyName("completionTime")]
    public DateTime? CompletionTime { get; set; }

    [JsonPropertyName("attempts")]
    public int? Attempts { get; set; }

    [JsonPropertyName("workerPod")]
    public string? WorkerPod { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("cost")]
    public CostStatus? Cost { get; set; }

    IWorkerJobStatus IWorkerJobStatus.Copy() => this with { };
}
