using System.Text.Json.Serialization;

namespace Whetstone.Artifacts.Models;

/// <summary>What produced a model: the custom resource (kind, namespace/name, uid) or a tool.</summary>
/// <param name="Kind">Resource kind, e.g. <c>FineTuneJob</c>, or a tool name.</param>
/// <param name="Namespace">Namespace of the resource.</param>
/// <param name="Name">Name of the resource.</param>
/// <param name="Uid">Uid of the resource; outputs live under it.</param>
public sealed record ModelProducer(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string? Uid);
