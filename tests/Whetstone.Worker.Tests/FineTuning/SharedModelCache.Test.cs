using System.Text.Json.Nodes;
using Whetstone.Api.Workers;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// <c>WHETSTONE_MODEL_CACHE</c> names a node's shared model cache: real worker processes fine-tune from one entry keyed by
/// the model's digest, and a later job on the node does not download the weights again.
/// </summary>
public sealed class SharedModelCacheTest : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);
    private readonly string _node = Directory.CreateTempSubdirectory("whetstone-node-cache-").FullName;

    public void Dispose() => Directory.Delete(_node, recursive: true);

    [Fact]
    public async Task Workers_on_one_node_share_one_cache_entry_and_a_later_job_does_not_download_the_weights_again()
    {
        using var store = ArtifactStoreFactory.Create(new Uri(Path.Combine(_node, "store") + "/").AbsoluteUri);
        var model = await ModelDirectories.UploadAsync(store, "base/", FineTuneScenario.BaseModelDirectory, new ModelProvenance());
        var cache = Path.Combine(_node, "model-cache");
        var environment = new Dictionary<string, string>
        {
            [WorkerEnvironmentVariables.ModelCache] = cache,
            [WorkerEnvironmentVariables.ModelCacheMaxBytes] = "1073741824",
        };
        using var first = Scenario(model);
        using var second = Scenario(model);

        using (var firstWorker = first.Start(environment))
        using (var secondWorker = second.Start(environment))
        {
            Assert.True(await firstWorker.WaitAsync(RunTimeout) == 0, firstWorker.Output);
            Assert.True(await secondWorker.WaitAsync(RunTimeout) == 0, secondWorker.Output);

            // One of them downloaded (and says how full the bounded cache is), the other waited for it and used its copy.
            // The console wraps long lines; compare with every run of white space as one space.
            var outputs = System.Text.RegularExpressions.Regex.Replace(firstWorker.Output + secondWorker.Output, @"\s+", " ");
            Assert.Contains("downloaded into the node's model cache; the cache holds 0.", outputs, StringComparison.Ordinal);
            Assert.Contains("GiB of its 1.00 GiB bound", outputs, StringComparison.Ordinal);
            Assert.Contains("from the node's model cache", outputs, StringComparison.Ordinal);
        }

        var entry = Assert.Single(Directory.GetDirectories(cache));
        Assert.Equal(ArtifactDigest.ToPathSegment(model.Digest), Path.GetFileName(entry));
        Assert.False(Directory.Exists(Path.Combine(first.Directory, "work", "models")));
        Assert.False(Directory.Exists(Path.Combine(second.Directory, "work", "models")));

        // The store loses the weights: a third job on the node still runs, so it took them from the cache.
        File.Delete(Path.Combine(_node, "store", "base", "model.safetensors"));
        using var third = Scenario(model);
        using var thirdWorker = third.Start(environment);
        Assert.True(await thirdWorker.WaitAsync(RunTimeout) == 0, thirdWorker.Output);
        Assert.Equal([entry], Directory.GetDirectories(cache));
    }

    [Fact]
    public void Without_the_variable_each_job_caches_models_under_its_own_work_folder()
    {
        Assert.Equal(Path.Combine("/work/job-a", "models"), JobInputs.ModelCacheDirectoryFor(null, "/work/job-a"));
        Assert.Equal(Path.Combine("/work/job-a", "models"), JobInputs.ModelCacheDirectoryFor(" ", "/work/job-a"));
        Assert.Equal("/var/cache/whetstone/models", JobInputs.ModelCacheDirectoryFor("/var/cache/whetstone/models", "/work/job-a"));
    }

    private static FineTuneScenario Scenario(StoredModel model)
    {
        var scenario = new FineTuneScenario(records: 16);
        scenario.WriteTask(absoluteUris: true, epochs: 1);
        TaskDocument.Edit(scenario.TaskPath, document => document.Spec()["baseModel"] = new JsonObject { ["uri"] = model.Uri.ToString() });
        return scenario;
    }
}
