using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Whetstone.Api.V1Alpha1;

/// <summary>A list of ModelRollouts, as the API returns it.</summary>
[KubernetesEntity(Group = WhetstoneApi.Group, ApiVersion = WhetstoneApi.Version, Kind = Kinds.ModelRollout + "List", PluralName = Plurals.ModelRollouts)]
public sealed record ModelRolloutList : IKubernetesObject<V1ListMeta>, IItems<ModelRollout>
{
    /// <summary>APIVersion of the list.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = WhetstoneApi.GroupVersion;

    /// <summary>Kind of the list.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Kinds.ModelRollout + "List";

    /// <summary>List metadata (resourceVersion, continue).</summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    /// <summary>The items.</summary>
    [JsonPropertyName("items")]
    public IList<ModelRollout> Items { get; set; } = [];
}
