using System.Text.Json.Serialization;
using k8s.Models;

namespace Whetstone.Operator.Runtime.Informers;

/// <summary>The list shape the API returns for a custom resource.</summary>
public sealed class CustomResourceList<T>
{
    /// <summary>List metadata: resourceVersion and continue token.</summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta? Metadata { get; set; }

    /// <summary>The objects.</summary>
    [JsonPropertyName("items")]
    public IList<T>? Items { get; set; }
}
