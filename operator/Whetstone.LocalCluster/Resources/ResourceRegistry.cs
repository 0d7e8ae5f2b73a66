using System.Collections.Immutable;

namespace Whetstone.LocalCluster.Resources;

/// <summary>
/// Every resource served right now. Built-ins are fixed; custom resources come and go with their CRDs.
/// Readers take an immutable snapshot so discovery and routing never see a half-registered CRD.
/// </summary>
internal sealed class ResourceRegistry
{
    private ImmutableDictionary<string, ImmutableArray<ResourceType>> _byCrd = ImmutableDictionary<string, ImmutableArray<ResourceType>>.Empty;
    private ImmutableArray<ResourceType> _all = [.. BuiltInResources.All];
    private readonly Lock _lock = new();

    public ImmutableArray<ResourceType> All => _all;

    public ResourceType? Find(string group, string version, string resource)
    {
        foreach (var type in _all)
        {
            if (type.Resource == resource && type.Version == version && type.Group == group)
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>All served versions of one stored resource (for custom resources with several versions).</summary>
    public IEnumerable<ResourceType> ByStorageKey(string storageKey) => _all.Where(t => t.StorageKey == storageKey);

    public bool IsGroupVersionServed(string group, string version) =>
        _all.Any(t => t.Group == group && t.Version == version);

    public void SetCustomResource(string crdName, IReadOnlyList<ResourceType> versions)
    {
        lock (_lock)
        {
            _byCrd = _byCrd.SetItem(crdName, [.. versions]);
            Rebuild();
        }
    }

    public void RemoveCustomResource(string crdName)
    {
        lock (_lock)
        {
            _byCrd = _byCrd.Remove(crdName);
            Rebuild();
        }
    }

    private void Rebuild() =>
        _all = [.. BuiltInResources.All, .. _byCrd.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value)];
}
