using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Whetstone.LocalCluster.Bench;

/// <summary>The benchmark's own small custom resource (<c>benchobjects.bench.whetstone.dev</c>): a name, labels, an annotation and a value.</summary>
internal sealed class BenchObject : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "bench.whetstone.dev";
    public const string Version = "v1";
    public const string Plural = "benchobjects";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = $"{Group}/{Version}";

    [JsonPropertyName("kind")] public string Kind { get; set; } = "BenchObject";

    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")] public Dictionary<string, string> Spec { get; set; } = [];

    /// <summary>The CRD that serves the kind: namespaced, any spec accepted.</summary>
    public static V1CustomResourceDefinition Definition() => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{Plural}.{Group}" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = Group,
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Plural = Plural, Singular = "benchobject", Kind = "BenchObject", ListKind = "BenchObjectList" },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = Version,
                    Served = true,
                    Storage = true,
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                    },
                },
            ],
        },
    };
}
