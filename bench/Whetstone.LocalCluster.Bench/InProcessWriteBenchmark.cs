using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Bench;

/// <summary>
/// The write path without HTTP: ObjectService on a real SQLite file, to separate server cost from transport cost; with
/// several writers (threads) it shows how many writes group commit put in each transaction.
/// </summary>
internal static class InProcessWriteBenchmark
{
    public static void Run(int count, int writers, TextWriter output)
    {
        var directory = Path.Combine(Path.GetTempPath(), "whetstone-bench-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            using var store = new ObjectStore(Path.Combine(directory, "cluster.db"));
            var service = new ObjectService(store, new ResourceRegistry());
            service.Create(BuiltInResources.Namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, WriteOptions.Default);
            var latencies = new double[count];
            var next = -1;
            var total = Stopwatch.StartNew();
            var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
            {
                while (Interlocked.Increment(ref next) is var i && i < count)
                {
                    var started = Stopwatch.GetTimestamp();
                    service.Create(BuiltInResources.ConfigMaps, "default", new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = $"m{i}", ["labels"] = new JsonObject { ["bench"] = "true" } },
                        ["data"] = new JsonObject { ["value"] = i.ToString(CultureInfo.InvariantCulture) },
                    }, WriteOptions.Default);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            })).ToList();
            var (transactionsBefore, writesBefore) = (store.Transactions, store.CommittedWrites);
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            total.Stop();
            Array.Sort(latencies);
            var transactions = store.Transactions - transactionsBefore;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in-process create, {writers} writers: {count / total.Elapsed.TotalSeconds:F0} writes/s; p50 {latencies[count / 2]:F3} ms, p99 {latencies[(int)(count * 0.99)]:F3} ms; {store.CommittedWrites - writesBefore} writes in {transactions} transactions"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
