using System.Diagnostics;
using System.Globalization;
using Whetstone.Api;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Reliability.Tests.Cluster;
using Whetstone.Reliability.Tests.Operators;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Storage;

/// <summary>
/// The node-level model cache end to end: FineTuneJobs in the embedded default fine-tune from a stored copy of the tiny
/// model (file://), with the real worker in the node's pods. The node hands every pod one cache folder, so the jobs
/// share one entry; a job started after the store lost the weights still runs, so it took them from the cache.
/// </summary>
public sealed class NodeModelCacheIntegrationTest(ControlPlane cluster) : IClassFixture<ControlPlane>
{
    private static readonly LeaseTimings Timings = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(500));
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["Whetstone:Workers:Image"] = ControlPlane.RealWorkerImage,
    };

    [Fact]
    public async Task Jobs_on_one_node_fine_tune_from_one_cache_entry_and_a_later_job_runs_without_the_stores_weights()
    {
        var ns = await cluster.NewNamespaceAsync();
        var folder = Directory.CreateTempSubdirectory("whetstone-model-cache-e2e-");
        try
        {
            using var workspace = new FineTuneWorkspace();
            using var store = ArtifactStoreFactory.Create(new Uri(Path.Combine(folder.FullName, "store") + "/").AbsoluteUri);
            var model = await ModelDirectories.UploadAsync(store, "base/", RepositoryRoot.Combine("examples", "models", "tiny-llama"), new ModelProvenance());
            var cache = Path.Combine(cluster.ClusterDirectory, "nodes", "local", "model-cache");
            var entry = Path.Combine(cache, ArtifactDigest.ToPathSegment(model.Digest));
            await using var replica = OperatorReplica.Start(cluster.KubeconfigPath, "replica-a", $"cache-{Guid.NewGuid():N}"[..16], Timings, Settings);
            var clock = Stopwatch.StartNew();
            foreach (var name in new[] { "first", "second" })
            {
                await cluster.CreateTinyFineTuneJobAsync(ns, name, workspace.DatasetPath, Path.Combine(folder.FullName, "out-" + name), backoffLimit: 0, model.Uri);
            }

            var together = await WaitForJobsAsync(ns, ["first", "second"], replica);
            var entriesAfterTwo = Directory.GetDirectories(cache).Where(d => d.StartsWith(entry, StringComparison.Ordinal)).ToList();
            var concurrentSeconds = clock.Elapsed.TotalSeconds;

            File.Delete(Path.Combine(folder.FullName, "store", "base", "model.safetensors"));
            await cluster.CreateTinyFineTuneJobAsync(ns, "later", workspace.DatasetPath, Path.Combine(folder.FullName, "out-later"), backoffLimit: 0, model.Uri);
            var later = await WaitForJobsAsync(ns, ["later"], replica);
            var entriesAtEnd = Directory.GetDirectories(cache).Where(d => d.StartsWith(entry, StringComparison.Ordinal)).ToList();

            var phases = together.Concat(later).Select(p => $"{p.Key} {p.Value}").ToList();
            var allSucceeded = together.Concat(later).All(p => p.Value == JobPhases.Succeeded);
            ReliabilityResults.Record(new ReliabilityRow(
                "Two FineTuneJobs on one node fine-tune from a stored base model (file://) at the same time, then a third after the store lost the model's weights (the real worker in the embedded node's pods)",
                $"{nameof(NodeModelCacheIntegrationTest)}.{nameof(Jobs_on_one_node_fine_tune_from_one_cache_entry_and_a_later_job_runs_without_the_stores_weights)}",
                string.Create(CultureInfo.InvariantCulture,
                    $"jobs ended {string.Join(", ", phases)}; the node's cache held {entriesAfterTwo.Count} folder(s) for the model's digest after the two concurrent jobs ({concurrentSeconds:F1}s) and {entriesAtEnd.Count} at the end (staging folders included); the third job ran with the store's weights deleted, so it read them from the cache"),
                Recovered: allSucceeded,
                Lost: false,
                new Dictionary<string, double>
                {
                    ["jobs"] = phases.Count,
                    ["cacheEntries"] = entriesAtEnd.Count,
                    ["secondsForTwoConcurrentJobs"] = Math.Round(concurrentSeconds, 1),
                }));

            Assert.True(allSucceeded, string.Join(", ", phases) + "\n" + replica.Tail());
            Assert.Equal([entry], entriesAfterTwo);
            Assert.Equal([entry], entriesAtEnd);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task<Dictionary<string, string>> WaitForJobsAsync(string ns, IReadOnlyList<string> names, OperatorReplica replica)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var phases = await cluster.JobPhasesAsync(ns);
            var ended = names.ToDictionary(n => n, n => phases.GetValueOrDefault(n, ""), StringComparer.Ordinal);
            if (ended.Values.All(p => p is JobPhases.Succeeded or JobPhases.Failed))
            {
                return ended;
            }

            Assert.True(clock.Elapsed < Patience, $"jobs did not finish within {Patience}: {string.Join(", ", ended)}\n{replica.Tail()}");
            await Task.Delay(250);
        }
    }
}
