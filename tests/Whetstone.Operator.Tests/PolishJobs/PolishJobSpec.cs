using System.Text.Json.Serialization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Tests.PolishJobs;

public sealed record PolishJobSpec : IWorkerJobSpec
{
    /// <summary>Coarser than <see cref="PolishJobKind.MaxGrit"/> fails the preflight check.</summary>
    [JsonPropertyName("grit")]
    public int Grit { get; set; } = 400;

    [JsonPropertyName("resources")]
    public WorkerResources? Resources { get; set; }

    [JsonPropertyName("queueName")]
    public string? QueueName { get; set; }

    [JsonPropertyName("runPolicy")]
    public RunPolicy? RunPolicy { get; set; }

    [JsonPropertyName("output")]
    public OutputLocation? Output { get; set; }

    [JsonPropertyName("cost")]
    public CostSettings? Cost { get; set; }
}
