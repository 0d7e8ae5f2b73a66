using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.Api;

/// <summary>A parsed resource URL: which resource, namespace, object name and subresource it addresses.</summary>
internal sealed record ResourceRequest(ResourceType Type, string? Namespace, string? Name, string? Subresource, bool WatchPath)
{
    /// <summary>
    /// Parses the segments after /api/v1 or /apis/{group}/{version}. Returns null when no served resource matches.
    /// </summary>
    public static ResourceRequest? Parse(ResourceRegistry registry, string group, string version, IReadOnlyList<string> segments)
    {
        var watch = segments.Count > 0 && segments[0] == "watch";
        var rest = watch ? segments.Skip(1).ToList() : segments.ToList();
        if (rest.Count >= 3 && rest[0] == "namespaces" && registry.Find(group, version, rest[2]) is { Namespaced: true } namespacedType)
        {
            return rest.Count > 5 ? null : new ResourceRequest(namespacedType, rest[1], rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4), watch);
        }
        if (rest.Count is >= 1 and <= 3 && registry.Find(group, version, rest[0]) is { } type)
        {
            return new ResourceRequest(type, null, rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2), watch);
        }
        return null;
    }
}
