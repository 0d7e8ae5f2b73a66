using System.Text.Json.Nodes;
using Whetstone.LocalCluster.CustomResources;

namespace Whetstone.LocalCluster.Resources;

/// <summary>One served resource at one group-version: what discovery lists and what the router dispatches on.</summary>
internal sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    /// <summary>Plural lower-case name used in URLs (pods, finetunejobs).</summary>
    public required string Resource { get; init; }
    public required string Kind { get; init; }
    public required string Singular { get; init; }
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    /// <summary>Whether status is a subresource: main writes keep the stored status, status writes keep the rest.</summary>
    public bool HasStatus { get; init; }
    /// <summary>Whether metadata.generation counts changes outside metadata and status.</summary>
    public bool TracksGeneration { get; init; }
    /// <summary>Whether strategic merge patch is understood (built-in kinds only, as in Kubernetes).</summary>
    public bool SupportsStrategicMerge { get; init; } = true;
    /// <summary>Set for custom resources: the schema validator and printer columns of this version.</summary>
    public CustomResourceVersion? Custom { get; init; }

    public string ListKind => Kind + "List";
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    /// <summary>Storage identity shared by all versions of one resource.</summary>
    public string StorageKey => $"{Group}/{Resource}";
    public string QualifiedResource => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public JsonObject Details(string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (Group.Length > 0)
        {
            details["group"] = Group;
        }
        details["kind"] = Resource;
        return details;
    }
}
