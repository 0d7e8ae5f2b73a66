using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Api.Workers;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Artifacts.Tests.S3;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// whetstone-worker finetune with everything in S3 (a real s3rver): the base model (a model directory with its
/// manifest, fetched through the model cache against its pinned digest), the dataset and every output; and a worker
/// killed with SIGKILL whose next attempt, on a fresh work directory, resumes from the checkpoint it had uploaded.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3FineTuneTest(S3rverFixture server)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task S3_base_model_dataset_and_outputs_round_trip_with_status_digests_matching_the_stored_objects()
    {
        using var scenario = new FineTuneScenario(records: 24);
        using var store = server.CreateStore();
        var model = await UploadBaseModelAsync(store);
        scenario.WriteTask(absoluteUris: true, epochs: 2, checkpointEverySteps: 3);
        await PointTaskAtS3Async(scenario, store, model);

        using var worker = StartWorker(scenario, "work");
        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.True(exitCode == 0, worker.Output);
        using var status = scenario.ReadJson(scenario.StatusPath);
        var artifacts = status.RootElement.GetProperty("artifacts");
        var outputRoot = store.GetUri("out/").ToString();
        var job = outputRoot + "test-job/";

        // Every digest in status is the sha256 of the bytes the store actually holds.
        Assert.Equal(job + "adapter/", artifacts.GetProperty("adapter").GetProperty("uri").GetString());
        Assert.Equal(await Sha256OfObjectAsync(job + "adapter/adapter_model.safetensors"), artifacts.GetProperty("adapter").GetProperty("digest").GetString());
        Assert.Equal(job + "model/", artifacts.GetProperty("model").GetProperty("uri").GetString());
        Assert.Equal(await Sha256OfObjectAsync(job + "model/manifest.json"), artifacts.GetProperty("model").GetProperty("digest").GetString());
        Assert.Equal(job + "loss-curve.json", artifacts.GetProperty("lossCurve").GetProperty("uri").GetString());
        Assert.Equal(await Sha256OfObjectAsync(job + "loss-curve.json"), artifacts.GetProperty("lossCurve").GetProperty("digest").GetString());
        Assert.Equal(job + "test.jsonl", artifacts.GetProperty("testSplit").GetProperty("uri").GetString());
        Assert.Equal(await Sha256OfObjectAsync(job + "test.jsonl"), artifacts.GetProperty("testSplit").GetProperty("digest").GetString());
        var prepared = status.RootElement.GetProperty("dataset").GetProperty("digest").GetString()!;
        var datasetFolder = $"{outputRoot}datasets/sha256-{prepared["sha256:".Length..]}/";
        Assert.Equal(datasetFolder, artifacts.GetProperty("dataset").GetProperty("uri").GetString());
        Assert.Equal(prepared, await Sha256OfObjectAsync(datasetFolder + "manifest.json"));
        Assert.Equal(Sha256Of(await File.ReadAllBytesAsync(scenario.DatasetPath)), status.RootElement.GetProperty("dataset").GetProperty("sourceDigest").GetString());

        // The merged model is a complete model directory again, and the job manifest names the pinned base model.
        var (merged, _) = await ModelDirectories.ReadManifestAsync(store, "out/test-job/model/", artifacts.GetProperty("model").GetProperty("digest").GetString());
        Assert.Equal(model.Digest, merged.Manifest.SourceModelDigest);
        using var manifest = JsonDocument.Parse(await ReadObjectAsync(job + "manifest.json"));
        Assert.Equal(model.Digest, manifest.RootElement.GetProperty("baseModel").GetProperty("digest").GetString());
        Assert.Equal(model.Uri.ToString(), manifest.RootElement.GetProperty("baseModel").GetProperty("uri").GetString());
        Assert.True(File.Exists(Path.Combine(scenario.Directory, "work", "models", "sha256-" + model.Digest["sha256:".Length..], "manifest.json")), "the base model is fetched through the model cache");

        // Checkpoints were uploaded as they were written; the newest two complete ones are kept.
        var checkpoints = await CommittedCheckpointsAsync(store, "out/test-job/checkpoints/");
        var total = status.RootElement.GetProperty("progress").GetProperty("totalSteps").GetInt64();
        var expected = Enumerable.Range(1, (int)(total / 3)).Select(i => $"checkpoint-{i * 3:D9}").TakeLast(2).ToList();
        Assert.Equal(expected, checkpoints);
        Assert.Contains("checkpoint " + expected[^1] + " uploaded", worker.Output, StringComparison.Ordinal);

        // The credentials (access and secret key are both "S3RVER") never leave the environment: not in the log, the
        // status, the termination message, any file of the work folder or any object the run stored.
        await AssertCredentialsNowhereAsync(worker.Output, scenario.Directory, store, "out/");
    }

    [Fact]
    public async Task Killed_worker_with_s3_output_resumes_on_a_fresh_machine_from_its_uploaded_checkpoint_and_matches_an_uninterrupted_run()
    {
        using var scenario = new FineTuneScenario(records: 24);
        using var store = server.CreateStore();
        var model = await UploadBaseModelAsync(store);

        // The uninterrupted run, under another job name (so another uid and output folder).
        scenario.WriteTask(absoluteUris: true, epochs: 3, checkpointEverySteps: 2);
        await PointTaskAtS3Async(scenario, store, model, name: "reference-job");
        using (var reference = StartWorker(scenario, "work-reference"))
        {
            Assert.True(await reference.WaitAsync(RunTimeout) == 0, reference.Output);
        }

        using var referenceStatus = scenario.ReadJson(scenario.StatusPath);
        var referenceAdapter = referenceStatus.RootElement.GetProperty("artifacts").GetProperty("adapter").GetProperty("digest").GetString();
        var totalSteps = referenceStatus.RootElement.GetProperty("progress").GetProperty("totalSteps").GetInt64();
        File.Delete(scenario.StatusPath);

        scenario.WriteTask(absoluteUris: true, epochs: 3, checkpointEverySteps: 2);
        await PointTaskAtS3Async(scenario, store, model);
        string uploaded;
        using (var first = StartWorker(scenario, "work-first"))
        {
            var deadline = DateTime.UtcNow + RunTimeout;
            while (true)
            {
                var committed = await CommittedCheckpointsAsync(store, "out/test-job/checkpoints/");
                if (committed.Count > 0)
                {
                    uploaded = committed[^1];
                    break;
                }

                Assert.False(first.HasExited, $"the worker ended before a checkpoint was uploaded:\n{first.Output}");
                Assert.True(DateTime.UtcNow < deadline, first.Output);
                await Task.Delay(100);
            }

            // SIGKILL: no chance to upload anything more; only what was uploaded while training survives.
            Assert.False(first.HasExited, "the checkpoint must be uploaded while training is still running");
            first.Kill();
            await first.WaitAsync(RunTimeout);
        }

        // Another upload may have completed between the poll and the kill: the newest complete one is what counts.
        uploaded = (await CommittedCheckpointsAsync(store, "out/test-job/checkpoints/"))[^1];
        Assert.False(await store.ExistsAsync("out/test-job/model/manifest.json"));
        var uploadedStep = long.Parse(uploaded["checkpoint-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(uploadedStep < totalSteps);

        // An interrupted upload of a later checkpoint (files, no COMMITTED marker) must neither be resumed from nor
        // block this step's upload (keys are write-once).
        var leftover = $"{await ConfigurationFolderAsync(store, "out/test-job/checkpoints/")}checkpoint-{uploadedStep + 2:D9}/";
        var placeLeftover = uploadedStep + 2 <= totalSteps;
        if (placeLeftover)
        {
            await store.PutAsync(leftover + "leftover.bin", new MemoryStream([1, 2, 3]));
        }

        // A new pod: nothing local survives, so the checkpoint can only come from the store.
        using var second = StartWorker(scenario, "work-second");
        var exitCode = await second.WaitAsync(RunTimeout);

        Assert.True(exitCode == 0, second.Output);
        Assert.Contains("restored from", second.Output, StringComparison.Ordinal);
        Assert.Contains("resuming from checkpoint", second.Output, StringComparison.Ordinal);
        using var status = scenario.ReadJson(scenario.StatusPath);
        var progress = status.RootElement.GetProperty("progress");
        Assert.Equal(totalSteps, progress.GetProperty("step").GetInt64());
        Assert.Equal(referenceAdapter, status.RootElement.GetProperty("artifacts").GetProperty("adapter").GetProperty("digest").GetString());
        Assert.Contains($"checkpoint {uploaded} restored from", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("failed:", second.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await CommittedCheckpointsAsync(store, "out/test-job/checkpoints/")).Count);
        Assert.False(placeLeftover && await store.ExistsAsync(leftover + "leftover.bin"), "the interrupted upload's leftovers are removed");
    }

    [Fact]
    public async Task Sigterm_with_s3_output_uploads_the_final_checkpoint_before_exiting_143()
    {
        using var scenario = new FineTuneScenario(records: 40);
        using var store = server.CreateStore();
        var model = await UploadBaseModelAsync(store);
        scenario.WriteTask(absoluteUris: true, epochs: 30, checkpointEverySteps: 1000);
        await PointTaskAtS3Async(scenario, store, model);
        using var worker = StartWorker(scenario, "work");
        var deadline = DateTime.UtcNow + RunTimeout;
        while (!(File.Exists(scenario.StatusPath) && File.ReadAllText(scenario.StatusPath).Contains("\"progress\"", StringComparison.Ordinal)))
        {
            Assert.False(worker.HasExited, worker.Output);
            Assert.True(DateTime.UtcNow < deadline, worker.Output);
            await Task.Delay(200);
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var exitCode = await worker.WaitAsync(RunTimeout);

        // No periodic checkpoint is due in this run, so the one in the store is the one written on SIGTERM.
        Assert.True(exitCode == 143, worker.Output);
        var committed = Assert.Single(await CommittedCheckpointsAsync(store, "out/test-job/checkpoints/"));
        Assert.Contains($"checkpoint {committed} uploaded", worker.Output, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync("out/test-job/model/manifest.json"));
    }

    [Fact]
    public async Task S3_base_model_whose_manifest_differs_from_the_pinned_digest_fails_with_DigestMismatch()
    {
        using var scenario = new FineTuneScenario(records: 8);
        using var store = server.CreateStore();
        var model = await UploadBaseModelAsync(store);
        scenario.WriteTask(absoluteUris: true);
        await PointTaskAtS3Async(scenario, store, model);
        var wrongPin = "sha256:" + new string('0', 64);
        TaskDocument.Edit(scenario.TaskPath, document => document.Spec()["baseModel"]!["digest"] = wrongPin);

        using var worker = StartWorker(scenario, "work");
        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.True(exitCode == 1, worker.Output);
        using var message = scenario.ReadJson(scenario.TerminationPath);
        Assert.Equal("DigestMismatch", message.RootElement.GetProperty("reason").GetString());
        Assert.Contains(model.Uri.ToString(), message.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(scenario.Directory, "work", "models", "sha256-" + model.Digest["sha256:".Length..])), "nothing unverified enters the model cache");
    }

    private static async Task AssertCredentialsNowhereAsync(string output, string folder, IArtifactStore store, string prefix)
    {
        const string credential = "S3RVER";
        var needle = System.Text.Encoding.ASCII.GetBytes(credential);
        Assert.DoesNotContain(credential, output, StringComparison.Ordinal);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("status.json", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.False(((ReadOnlySpan<byte>)await File.ReadAllBytesAsync(file)).IndexOf(needle) >= 0, $"{file} holds the S3 credentials");
        }

        var objects = 0;
        await foreach (var info in store.ListAsync(prefix))
        {
            objects++;
            using var content = new MemoryStream();
            await using (var stream = await store.OpenReadAsync(info.Key))
            {
                await stream.CopyToAsync(content);
            }

            Assert.False(((ReadOnlySpan<byte>)content.ToArray()).IndexOf(needle) >= 0, $"{info.Uri} holds the S3 credentials");
        }

        Assert.True(objects > 10, $"only {objects} objects were checked");
    }

    private static async Task<StoredModel> UploadBaseModelAsync(IArtifactStore store) =>
        await ModelDirectories.UploadAsync(store, "models/tiny/", FineTuneScenario.BaseModelDirectory, new ModelProvenance(Producer: new ModelProducer("test", null, "tiny-llama", null)));

    private static async Task PointTaskAtS3Async(FineTuneScenario scenario, IArtifactStore store, StoredModel model, string name = "test-job")
    {
        var data = await store.PutAsync("data/support.jsonl", File.OpenRead(scenario.DatasetPath), "application/jsonl");
        TaskDocument.Edit(scenario.TaskPath, document =>
        {
            document["metadata"]!["name"] = name;
            var spec = document.Spec();
            spec["baseModel"] = new JsonObject { ["uri"] = model.Uri.ToString(), ["digest"] = model.Digest };
            spec["dataset"]!["uri"] = data.Uri.ToString();
            spec["dataset"]!["digest"] = data.Digest;
            spec["output"]!["uri"] = store.GetUri("out/").ToString();
        });
    }

    private WorkerProcess StartWorker(FineTuneScenario scenario, string workDirectory) => new(
        ["finetune", "--task", scenario.TaskPath, "--status-file", scenario.StatusPath, "--work-dir", Path.Combine(scenario.Directory, workDirectory)],
        new Dictionary<string, string>
        {
            ["WHETSTONE_S3_ENDPOINT"] = server.Options().Endpoint!,
            ["WHETSTONE_S3_ACCESS_KEY"] = "S3RVER",
            ["WHETSTONE_S3_SECRET_KEY"] = "S3RVER",
            [WorkerEnvironmentVariables.TerminationMessagePath] = scenario.TerminationPath,
            ["WHETSTONE_TORCH_THREADS"] = "2",
        });

    /// <summary>The folder of the one training configuration's checkpoints: <c>&lt;prefix&gt;&lt;key&gt;/</c>.</summary>
    private static async Task<string> ConfigurationFolderAsync(IArtifactStore store, string prefix)
    {
        await foreach (var info in store.ListAsync(prefix))
        {
            return info.Key[..(info.Key.IndexOf('/', prefix.Length) + 1)];
        }

        throw new InvalidOperationException($"no checkpoints under {prefix}");
    }

    private static async Task<List<string>> CommittedCheckpointsAsync(IArtifactStore store, string prefix)
    {
        var committed = new List<string>();
        await foreach (var info in store.ListAsync(prefix))
        {
            if (info.Key.EndsWith("/COMMITTED", StringComparison.Ordinal))
            {
                // Under <prefix><training configuration>/checkpoint-NNN/COMMITTED: the checkpoint's own name.
                var folder = info.Key[..^"/COMMITTED".Length];
                committed.Add(folder[(folder.LastIndexOf('/') + 1)..]);
            }
        }

        return [.. committed.Order(StringComparer.Ordinal)];
    }

    private async Task<byte[]> ReadObjectAsync(string uri)
    {
        var (store, key) = ArtifactStoreFactory.Resolve(uri, server.Options());
        using (store)
        {
            var stream = await store.OpenReadAsync(key);
            await using (stream)
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                return buffer.ToArray();
            }
        }
    }

    private async Task<string> Sha256OfObjectAsync(string uri) => Sha256Of(await ReadObjectAsync(uri));

    private static string Sha256Of(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
