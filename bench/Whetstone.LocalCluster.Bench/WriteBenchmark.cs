using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;
using Whetstone.LocalCluster;

namespace Whetstone.LocalCluster.Bench;

/// <summary>Creates then updates small ConfigMaps through KubernetesClient over HTTPS and reports writes/s and latency percentiles.</summary>
internal static class WriteBenchmark
{
    public static async Task RunAsync(int count, int writers, TextWriter output, CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), "whetstone-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = directory }, ct);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
            await client.CoreV1.ListNamespacedConfigMapAsync("default", cancellationToken: ct);
            foreach (var phase in new[] { "create", "update" })
            {
                var latencies = new double[count];
                var (transactionsBefore, writesBefore) = (server.Store.Transactions, server.Store.CommittedWrites);
                var next = -1;
                var total = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < count)
                    {
                        var started = Stopwatch.GetTimestamp();
                        var map = new V1ConfigMap
                        {
                            Metadata = new V1ObjectMeta { Name = $"bench-{i}", Labels = new Dictionary<string, string> { ["bench"] = "true" } },
                            Data = new Dictionary<string, string> { ["value"] = phase + i.ToString(CultureInfo.InvariantCulture) },
                        };
                        if (phase == "create")
                        {
                            await client.CoreV1.CreateNamespacedConfigMapAsync(map, "default", cancellationToken: ct);
                        }
                        else
                        {
                            await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, map.Metadata.Name, "default", cancellationToken: ct);
                        }
                        latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                }, ct)));
                total.Stop();
                Array.Sort(latencies);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{phase}: {count} writes by {writers} writers in {total.Elapsed.TotalSeconds:F2} s = {count / total.Elapsed.TotalSeconds:F0} writes/s; latency p50 {latencies[count / 2]:F2} ms, p99 {latencies[(int)(count * 0.99)]:F2} ms, max {latencies[^1]:F2} ms; {Grouping(server, transactionsBefore, writesBefore)}"));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the temp folder may still be held briefly.
            }
        }
    }

    /// <summary>How many SQLite transactions the writes since the given counts took (group commit puts several in one).</summary>
    internal static string Grouping(LocalClusterServer server, long transactionsBefore, long writesBefore)
    {
        var transactions = server.Store.Transactions - transactionsBefore;
        var writes = server.Store.CommittedWrites - writesBefore;
        return string.Create(CultureInfo.InvariantCulture, $"{writes} writes in {transactions} transactions ({(double)writes / Math.Max(1, transactions):F1} per transaction)");
    }
}
