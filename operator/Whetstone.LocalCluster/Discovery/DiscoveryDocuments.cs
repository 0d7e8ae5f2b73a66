using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.Discovery;

/// <summary>
/// Discovery documents: the legacy /api, /apis, /apis/{g} and resource lists, and the aggregated
/// apidiscovery.k8s.io/v2 form kubectl asks for first.
/// </summary>
internal static class DiscoveryDocuments
{
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    public static JsonObject ApiVersions() => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "" }),
    };

    public static JsonObject GroupList(IEnumerable<ResourceType> all) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. Groups(all).Select(g => (JsonNode)GroupObject(g.Key, g.Value))]),
    };

    public static JsonObject? Group(IEnumerable<ResourceType> all, string group)
    {
        var groups = Groups(all);
        if (!groups.TryGetValue(group, out var versions))
        {
            return null;
        }
        var obj = GroupObject(group, versions);
        obj["kind"] = "APIGroup";
        obj["apiVersion"] = "v1";
        return obj;
    }

    public static JsonObject ResourceList(IEnumerable<ResourceType> all, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var type in all.Where(t => t.Group == group && t.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Resource,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = Strings(ResourceType.AllVerbs),
                ["shortNames"] = Strings(type.ShortNames),
                ["categories"] = Strings(type.Categories),
                ["storageVersionHash"] = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(type.StorageKey)))[..11],
            });
            foreach (var (sub, verbs) in Subresources(type))
            {
                var entry = new JsonObject
                {
                    ["name"] = $"{type.Resource}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = sub switch { "binding" => "Binding", "scale" => "Scale", _ => type.Kind },
                    ["verbs"] = Strings(verbs),
                };
                if (sub == "scale")
                {
                    // kubectl scale finds the Scale's group-version here.
                    entry["group"] = "autoscaling";
                    entry["version"] = "v1";
                }
                resources.Add(entry);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    public static JsonObject Aggregated(IEnumerable<ResourceType> all, bool legacy)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in Groups(all).Where(g => (g.Key.Length == 0) == legacy))
        {
            var versionArray = new JsonArray();
            foreach (var version in versions)
            {
                var resources = new JsonArray();
                foreach (var type in all.Where(t => t.Group == group && t.Version == version))
                {
                    var entry = new JsonObject
                    {
                        ["resource"] = type.Resource,
                        ["responseKind"] = Gvk(type.Group, type.Version, type.Kind),
                        ["scope"] = type.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = type.Singular,
                        ["verbs"] = Strings(ResourceType.AllVerbs),
                    };
                    if (type.ShortNames.Count > 0)
                    {
                        entry["shortNames"] = Strings(type.ShortNames);
                    }
                    if (type.Categories.Count > 0)
                    {
                        entry["categories"] = Strings(type.Categories);
                    }
                    var subresources = Subresources(type).ToList();
                    if (subresources.Count > 0)
                    {
                        entry["subresources"] = new JsonArray([.. subresources.Select(s => (JsonNode)new JsonObject
                        {
                            ["subresource"] = s.Name,
                            ["responseKind"] = s.Name == "scale" ? Gvk("autoscaling", "v1", "Scale") : Gvk(type.Group, type.Version, s.Name == "binding" ? "Binding" : type.Kind),
                            ["verbs"] = Strings(s.Verbs),
                        })]);
                    }
                    resources.Add(entry);
                }
                versionArray.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }
            var metadata = new JsonObject { ["creationTimestamp"] = null };
            if (group.Length > 0)
            {
                metadata["name"] = group;
            }
            items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versionArray });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static IEnumerable<(string Name, IReadOnlyList<string> Verbs)> Subresources(ResourceType type)
    {
        if (type.HasStatus)
        {
            yield return ("status", StatusVerbs);
        }
        if (type == BuiltInResources.Deployments)
        {
            yield return ("scale", StatusVerbs);
        }
        if (type == BuiltInResources.Pods)
        {
            yield return ("log", ["get"]);
            yield return ("binding", ["create"]);
        }
    }

    private static Dictionary<string, List<string>> Groups(IEnumerable<ResourceType> all)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var type in all)
        {
            if (!groups.TryGetValue(type.Group, out var versions))
            {
                groups[type.Group] = versions = [];
            }
            if (!versions.Contains(type.Version))
            {
                versions.Add(type.Version);
            }
        }
        return groups.ToDictionary(g => g.Key, g => VersionPriority.Order(g.Value).ToList(), StringComparer.Ordinal);
    }

    private static JsonObject GroupObject(string group, List<string> versions) => new()
    {
        ["name"] = group,
        ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)GroupVersion(group, v))]),
        ["preferredVersion"] = GroupVersion(group, versions[0]),
    };

    private static JsonObject GroupVersion(string group, string version) => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };

    private static JsonObject Gvk(string group, string version, string kind) => new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
