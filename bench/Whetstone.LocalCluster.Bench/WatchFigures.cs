using System.Globalization;

namespace Whetstone.LocalCluster.Bench;

/// <summary>Watch fan-out: how many watchers of which kind (typed or raw, see WatchClients), events each watcher should have seen, the write rate achieved, delivery lag from the write request, and misses and duplicates over all watchers.</summary>
internal sealed record WatchFigures(int Watchers, string Clients, int Writes, double AchievedWritesPerSecond, Percentiles Lag, int Missed, int Duplicated)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"watch fan-out to {Watchers,3} {Clients} watchers: {Writes} updates at {AchievedWritesPerSecond:F0}/s, lag from write request {Lag}; missed {Missed}, duplicated {Duplicated} (over all watchers)");
}
