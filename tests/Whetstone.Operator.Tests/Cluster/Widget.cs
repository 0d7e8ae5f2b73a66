using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Whetstone.Operator.Tests.Cluster;

/// <summary>A small custom resource of the tests' own, so runtime tests do not depend on the product's kinds.</summary>
[KubernetesEntity(Group = Widget.Group, ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>, ISpec<WidgetSpec>, IStatus<WidgetStatus?>
{
    public const string Group = "test.whetstone.dev";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{Group}/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }

    public static Widget Named(string name, string @namespace = "default", int size = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
        Spec = new WidgetSpec { Size = size },
    };
}

public sealed class WidgetSpec
{
    [JsonPropertyName("size")]
    public int Size { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("observedSize")]
    public int ObservedSize { get; set; }

    [JsonPropertyName("reconciles")]
    public int Reconciles { get; set; }
}
