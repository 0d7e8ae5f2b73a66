using Whetstone.LocalCluster;

namespace Whetstone.Operator.Bench;

/// <summary>The operator's share of the server's request counts between two snapshots.</summary>
internal sealed record RequestTally(IReadOnlyDictionary<ApiRequestKind, long> Counts)
{
    /// <summary>User-Agents of everything that is not the operator: the benchmark itself and the local node.</summary>
    public static readonly string[] OtherAgents = [OperatorBenchmark.BenchAgent, "whetstone-node"];

    public long Total => Counts.Values.Sum();

    public long Writes => Counts.Where(c => c.Key.IsWrite).Sum(c => c.Value);

    public long Watches => Counts.Where(c => c.Key.Verb == "watch").Sum(c => c.Value);

    public static RequestTally Between(IReadOnlyDictionary<ApiRequestKind, long> before, IReadOnlyDictionary<ApiRequestKind, long> after) =>
        new(after
            .Where(c => !OtherAgents.Contains(c.Key.Agent))
            .Select(c => (c.Key, Count: c.Value - before.GetValueOrDefault(c.Key)))
            .Where(c => c.Count > 0)
            .ToDictionary(c => c.Key, c => c.Count));

    public IEnumerable<string> Lines() =>
        Counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Resource, StringComparer.Ordinal)
            .Select(c => $"    {c.Value,8}  {c.Key.Verb,-8} {c.Key.Resource}");
}
