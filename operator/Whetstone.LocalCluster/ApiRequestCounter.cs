using System.Collections.Concurrent;

namespace Whetstone.LocalCluster;

/// <summary>
/// Counts the resource requests the server has received since it started, by <see cref="ApiRequestKind"/>, so
/// benchmarks and tests can see how many requests (and writes) a client made. Counting is one dictionary increment
/// per request; discovery, OpenAPI and health requests are not counted.
/// </summary>
public sealed class ApiRequestCounter
{
    private readonly ConcurrentDictionary<ApiRequestKind, long> _counts = new();

    /// <summary>A snapshot of every count so far.</summary>
    public IReadOnlyDictionary<ApiRequestKind, long> Snapshot() => new Dictionary<ApiRequestKind, long>(_counts);

    internal void Count(ApiRequestKind kind) => _counts.AddOrUpdate(kind, 1, static (_, n) => n + 1);
}
