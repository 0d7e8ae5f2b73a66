using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Whetstone.Api.V1Alpha1;

/// <summary>A list of EvaluationRuns, as the API returns it.</summary>
[KubernetesEntity(Group = WhetstoneApi.Group, ApiVersion = WhetstoneApi.Version, Kind = Kinds.EvaluationRun + "List", PluralName = Plurals.EvaluationRuns)]
public sealed record EvaluationRunList : IKubernetesObject<V1ListMeta>, IItems<EvaluationRun>
{
    /// <summary>APIVersion of the list.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhetstoneApi.GroupVersion;

    /// <summary>Kind of the list.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Kinds.EvaluationRun + "List";

    /// <summary>List metadata (resourceVersion, continue).</summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The items.</summary>
    [JsonPropertyName("items")]
    public IList<EvaluationRun> Items { get; set; } = [];
}
