using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.LocalCluster.Bench;

/// <summary>
/// What controllers and kubectl mostly do against the embedded control plane, side by side in one run over HTTPS with
/// KubernetesClient: creates with 1, 8 and 32 writers (which also fill the store), get by name, list with a label
/// selector, a paginated list of every object (500 per page), and watch fan-out to 10 and 100 watchers while
/// writing 1,000 objects/s (delivery lag, missed and duplicated events), against the issue's targets.
/// </summary>
internal static class ReadBenchmark
{
    private const string Namespace = "default";

    public static async Task RunAsync(int objects, TextWriter output, CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), "whetstone-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = directory }, ct);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(BenchObject.Definition(), cancellationToken: ct);
            await WaitUntilServedAsync(client, ct);
            var verdicts = new List<string>();

            var created = 0;
            var firstBatch = Math.Min(500, objects / 4);
            foreach (var (writers, count) in new[] { (1, firstBatch), (8, (objects - firstBatch) / 2), (32, objects - firstBatch - ((objects - firstBatch) / 2)) })
            {
                var (transactionsBefore, writesBefore) = (server.Store.Transactions, server.Store.CommittedWrites);
                var (rate, latency) = await CreateAsync(client, created, count, writers, ct);
                created += count;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"create, {writers,2} writers: {count} objects, {rate:F0} writes/s, {latency}; {WriteBenchmark.Grouping(server, transactionsBefore, writesBefore)}"));
                if (writers == 8)
                {
                    verdicts.Add(Verdict($"writes with 8 writers: {rate:F0}/s, p99 {latency.P99:F1} ms", "≥ 3,000/s at p99 < 10 ms", rate >= 3000 && latency.P99 < 10));
                }
            }

            var get = await GetByNameAsync(client, objects, Math.Min(2000, objects), ct);
            output.WriteLine($"get by name, 8 readers: {get}");

            var (selected, selectorLatency) = await ListBySelectorAsync(client, ct);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"list tier=gold ({selected} of {objects}), 5 times: {selectorLatency}"));

            var paginated = await ListPaginatedAsync(client, ct);
            output.WriteLine(paginated.Describe());
            verdicts.Add(Verdict(
                string.Create(CultureInfo.InvariantCulture, $"paginated list of {paginated.Items}: {paginated.Seconds:F2} s; allocated per page {paginated.AllocatedPerPage / 1048576.0:F1} MiB vs {paginated.AllocatedUnpaginated / 1048576.0:F1} MiB for one unpaginated list"),
                "< 1 s, memory bounded by the page",
                // Bounded: a page costs about its share of the whole list (twice that allowed), not the whole list each time.
                paginated.Items == objects && paginated.Seconds < 1 && paginated.AllocatedPerPage < 2.0 * paginated.AllocatedUnpaginated / paginated.Pages));

            foreach (var (watchers, raw) in new[] { (10, false), (100, false), (100, true) })
            {
                var encodedBefore = server.WatchLinesEncoded;
                var watch = await WatchFanOutAsync(client, server, watchers, raw, Math.Min(objects, 3000), writesPerSecond: 1000, ct);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{watch.Describe()}; server encoded {server.WatchLinesEncoded - encodedBefore} watch lines"));
                if (watchers == 100)
                {
                    verdicts.Add(Verdict($"watch lag with 100 {watch.Clients} watchers at {watch.AchievedWritesPerSecond:F0} writes/s: p99 {watch.Lag.P99:F1} ms, {watch.Missed} missed, {watch.Duplicated} duplicated",
                        "p99 < 50 ms at 1,000 writes/s, none missed or duplicated",
                        watch.Lag.P99 < 50 && watch.Missed == 0 && watch.Duplicated == 0 && watch.AchievedWritesPerSecond >= 900));
                }
            }

            output.WriteLine();
            output.WriteLine("| figure | target | met |");
            output.WriteLine("|---|---|---|");
            foreach (var verdict in verdicts)
            {
                output.WriteLine(verdict);
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

    private static string Verdict(string measured, string target, bool met) => $"| {measured} | {target} | {(met ? "yes" : "NO")} |";

    private static async Task WaitUntilServedAsync(Kubernetes client, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.CustomObjects.ListNamespacedCustomObjectAsync(BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural, limit: 1, cancellationToken: ct);
                return;
            }
            catch (HttpOperationException) when (attempt < 100)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    private static BenchObject NewObject(int i) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = NameOf(i),
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string> { ["tier"] = i % 10 == 0 ? "gold" : "plain" },
        },
        Spec = new Dictionary<string, string> { ["value"] = i.ToString(CultureInfo.InvariantCulture) },
    };

    private static string NameOf(int i) => string.Create(CultureInfo.InvariantCulture, $"obj-{i:D6}");

    private static async Task<(double Rate, Percentiles Latency)> CreateAsync(Kubernetes client, int first, int count, int writers, CancellationToken ct)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(NewObject(first + i), BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural, cancellationToken: ct);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, ct)));
        return (count / clock.Elapsed.TotalSeconds, Percentiles.Of(latencies));
    }

    private static async Task<Percentiles> GetByNameAsync(Kubernetes client, int objects, int gets, CancellationToken ct)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < gets)
            {
                var started = Stopwatch.GetTimestamp();
                await client.CustomObjects.GetNamespacedCustomObjectAsync(BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural, NameOf(i * 7919 % objects), ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }, ct)));
        return Percentiles.Of(latencies);
    }

    private static async Task<(int Selected, Percentiles Latency)> ListBySelectorAsync(Kubernetes client, CancellationToken ct)
    {
        var latencies = new List<double>();
        var selected = 0;
        for (var run = 0; run < 5; run++)
        {
            var started = Stopwatch.GetTimestamp();
            var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural,
                labelSelector: "tier=gold", cancellationToken: ct);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            selected = list.GetProperty("items").GetArrayLength();
        }

        return (selected, Percentiles.Of(latencies));
    }

    private static async Task<PaginatedListFigures> ListPaginatedAsync(Kubernetes client, CancellationToken ct)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var whole = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural, cancellationToken: ct);
        var allocatedUnpaginated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var wholeBytes = whole.GetRawText().Length;

        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        string? next = null;
        int pages = 0, items = 0, largestPage = 0;
        do
        {
            var page = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural,
                continueParameter: next, limit: 500, cancellationToken: ct);
            pages++;
            items += page.GetProperty("items").GetArrayLength();
            largestPage = Math.Max(largestPage, page.GetRawText().Length);
            next = page.GetProperty("metadata").TryGetProperty("continue", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (!string.IsNullOrEmpty(next));

        var seconds = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new PaginatedListFigures(items, pages, seconds, largestPage, wholeBytes, allocated / pages, allocatedUnpaginated);
    }

    private static async Task<WatchFigures> WatchFanOutAsync(Kubernetes client, LocalClusterServer server, int watchers, bool raw, int updates, int writesPerSecond, CancellationToken ct)
    {
        var start = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural, limit: 1, cancellationToken: ct);
        var resourceVersion = start.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lags = new ConcurrentBag<double>();
        var seen = Enumerable.Range(0, watchers).Select(_ => new ConcurrentDictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var received = new int[watchers];
        var ready = Enumerable.Range(0, watchers).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var watching = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
        {
            var events = raw ? WatchClients.RawAsync(client, server, resourceVersion!, ready[w], stop.Token) : WatchClients.TypedAsync(client, resourceVersion!, ready[w], stop.Token);
            try
            {
                await foreach (var e in events.WithCancellation(stop.Token))
                {
                    if (e.Type != "MODIFIED" || e.Sent is not { } sent)
                    {
                        continue;
                    }

                    lags.Add(Stopwatch.GetElapsedTime(long.Parse(sent, CultureInfo.InvariantCulture)).TotalMilliseconds);
                    seen[w].AddOrUpdate($"{e.Name}@{e.ResourceVersion}", 1, (_, n) => n + 1);
                    Interlocked.Increment(ref received[w]);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(ready.Select(r => r.Task));
        await Task.Delay(500, ct);

        var clock = Stopwatch.StartNew();
        var next = -1;
        var written = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < updates)
            {
                var due = TimeSpan.FromSeconds((double)i / writesPerSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }

                var patch = "{\"metadata\":{\"annotations\":{\"bench/sent\":\"" + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture) + "\"}}}";
                await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
                    BenchObject.Group, BenchObject.Version, Namespace, BenchObject.Plural, NameOf(i), cancellationToken: ct);
                Interlocked.Increment(ref written);
            }
        }, ct)));
        var writeSeconds = clock.Elapsed.TotalSeconds;

        var deadline = Stopwatch.StartNew();
        while (received.Any(r => Volatile.Read(ref r) < written) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, ct);
        }

        await stop.CancelAsync();
        await Task.WhenAll(watching);
        var missed = seen.Sum(s => Math.Max(0, written - s.Count));
        var duplicated = seen.Sum(s => s.Values.Sum(n => n - 1));
        return new WatchFigures(watchers, raw ? "raw" : "typed", written, written / writeSeconds, Percentiles.Of(lags), missed, duplicated);
    }
}
