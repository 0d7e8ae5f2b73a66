using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Operator.Tests.PolishJobs;

/// <summary>
/// A job kind of the tests' own (it polishes nothing): proof that a new kind plugs into the shared worker-job
/// lifecycle with one folder and one registration line, and no FineTuneJob code.
/// </summary>
[KubernetesEntity(Group = Group, ApiVersion = Version, Kind = "PolishJob", PluralName = Plural)]
public sealed record PolishJob : IWorkerJob<PolishJobStatus>, ISpec<PolishJobSpec>
{
    public const string Group = "test.whetstone.dev";

    public const string Version = "v1";

    public const string Plural = "polishjobs";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{Group}/{Version}";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PolishJob";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public PolishJobSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public PolishJobStatus? Status { get; set; }

    IWorkerJobSpec IWorkerJob<PolishJobStatus>.WorkerSpec => Spec;
}
