using k8s.Models;

namespace Whetstone.LocalCluster.Networking;

/// <summary>
/// The ready endpoints of every Service port, read from the Endpoints objects the endpoints controller maintains:
/// what the Service proxy and the gateway balance over. Immutable; rebuilt when Services or Endpoints change.
/// </summary>
public sealed class BackendTable
{
    private readonly Dictionary<(string Namespace, string Service, int Port), IReadOnlyList<string>> _ready;

    private BackendTable(Dictionary<(string, string, int), IReadOnlyList<string>> ready) => _ready = ready;

    /// <summary>A table with no Services.</summary>
    public static BackendTable Empty { get; } = new([]);

    /// <summary>
    /// For each Service port, the <c>ip:port</c> of each ready address, matching the Service port to the Endpoints
    /// port by name (the only port when the Service has one).
    /// </summary>
    public static BackendTable Build(IEnumerable<V1Service> services, IEnumerable<V1Endpoints> endpoints)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoints);
        var byService = endpoints.ToDictionary(e => (e.Metadata.NamespaceProperty ?? "default", e.Metadata.Name));
        var ready = new Dictionary<(string, string, int), IReadOnlyList<string>>();
        foreach (var service in services)
        {
            var key = (service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name);
            if (!byService.TryGetValue(key, out var found))
            {
                continue;
            }

            foreach (var port in service.Spec?.Ports ?? [])
            {
                ready[(key.Item1, key.Name, port.Port)] = [.. (found.Subsets ?? []).SelectMany(subset =>
                {
                    var target = (subset.Ports ?? []).FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? ""));
                    return target is null ? [] : (subset.Addresses ?? []).Select(address => $"{address.Ip}:{target.Port}");
                })];
            }
        }

        return new BackendTable(ready);
    }

    /// <summary>The ready <c>ip:port</c> endpoints behind a Service port (empty when none or unknown).</summary>
    public IReadOnlyList<string> ReadyEndpoints(string ns, string service, int port) =>
        _ready.TryGetValue((ns, service, port), out var found) ? found : [];

    /// <summary>Whether the Service port is known (it exists and has an Endpoints object).</summary>
    public bool Contains(string ns, string service, int port) => _ready.ContainsKey((ns, service, port));
}
