using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Tests.Jobs;

/// <summary>
/// One publication rule for every kind's outputs, on a real file store: leftovers of an attempt that stopped before
/// its manifest are replaced, a published set is never written again and is read back by later attempts.
/// </summary>
public sealed class JobOutputsTest : IDisposable
{
    private const string Prefix = "0b5e/g3/";
    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-job-outputs-").FullName;
    private readonly IArtifactStore _store;
    private readonly List<string> _said = [];

    public JobOutputsTest() => _store = ArtifactStoreFactory.Create(new Uri(Path.Combine(_root, "store") + "/").AbsoluteUri);

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_leftover_with_other_content_from_an_unpublished_attempt_is_replaced()
    {
        await _store.PutAsync(Prefix + "report.json", new MemoryStream("{\"latencyMs\": 12}"u8.ToArray()), "application/json");

        var stored = await Outputs().PutTextAsync("report.json", "{\"latencyMs\": 14}", "application/json", CancellationToken.None);

        Assert.Equal("{\"latencyMs\": 14}", await ReadAsync(Prefix + "report.json"));
        Assert.Equal((await _store.StatAsync(Prefix + "report.json"))!.Digest, stored.Digest);
        Assert.Contains(_said, line => line.StartsWith("replacing ", StringComparison.Ordinal) && line.Contains("stopped before publishing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publishing_writes_a_manifest_naming_the_job_and_later_attempts_read_it_back()
    {
        var outputs = Outputs();
        var report = await outputs.PutTextAsync("report.json", "{}", "application/json", CancellationToken.None);

        await outputs.PublishAsync(Kinds.EvaluationRun, Context(), new JsonObject { ["verdict"] = "Passed", ["artifacts"] = new JsonObject { ["json"] = new JsonObject { ["uri"] = report.Uri, ["digest"] = report.Digest } } }, CancellationToken.None);
        var published = await Outputs().ReadPublishedAsync(CancellationToken.None);

        Assert.NotNull(published);
        Assert.Equal(Kinds.EvaluationRun, (string?)published["kind"]);
        Assert.Equal("nightly", (string?)published["name"]);
        Assert.Equal("0b5e", (string?)published["uid"]);
        Assert.Equal(3, (long?)published["generation"]);
        Assert.Equal("Passed", (string?)published["verdict"]);
        Assert.Equal(report.Digest, JobOutputs.ArtifactsOf<EvaluationReport>(published).Json?.Digest);
    }

    [Fact]
    public async Task Nothing_is_published_before_the_manifest()
    {
        await Outputs().PutTextAsync("report.json", "{}", "application/json", CancellationToken.None);

        Assert.Null(await Outputs().ReadPublishedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_published_output_is_never_overwritten()
    {
        var outputs = Outputs();
        await outputs.PutTextAsync("report.json", "{\"latencyMs\": 12}", "application/json", CancellationToken.None);
        await outputs.PublishAsync(Kinds.CompressionJob, Context(), [], CancellationToken.None);

        var failure = await Assert.ThrowsAsync<JobFailureException>(() => Outputs().PutTextAsync("report.json", "{\"latencyMs\": 14}", "application/json", CancellationToken.None));

        Assert.Equal(ConditionReasons.ArtifactStoreError, failure.Reason);
        Assert.Contains("already published (manifest.json exists) and are never overwritten", failure.Message, StringComparison.Ordinal);
        Assert.Equal("{\"latencyMs\": 12}", await ReadAsync(Prefix + "report.json"));
    }

    [Fact]
    public async Task A_model_folder_left_half_uploaded_is_cleared_so_the_stored_model_is_this_attempts()
    {
        // An earlier attempt stored other weights and a file this attempt does not produce, then died before the
        // model's own manifest.
        await _store.PutAsync(Prefix + "model/model.safetensors", new MemoryStream("old weights"u8.ToArray()));
        await _store.PutAsync(Prefix + "model/stale.bin", new MemoryStream("stale"u8.ToArray()));
        var model = ModelFolder("new weights");

        var stored = await Outputs().PutModelAsync("model", model, new ModelProvenance(Format: "onnx"), CancellationToken.None);

        var (read, _) = await ModelDirectories.ReadManifestAsync(_store, Prefix + "model/", stored.Digest);
        Assert.Equal(["config.json", "model.safetensors"], read.Manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal("new weights", await ReadAsync(Prefix + "model/model.safetensors"));
        Assert.False(await _store.ExistsAsync(Prefix + "model/stale.bin"), "a file of the earlier attempt's model is gone");
        var downloaded = Path.Combine(_root, "downloaded");
        await ModelDirectories.DownloadAsync(_store, Prefix + "model/", downloaded, stored.Digest);
        Assert.Equal("new weights", await File.ReadAllTextAsync(Path.Combine(downloaded, "model.safetensors")));
    }

    [Fact]
    public async Task Temporary_objects_of_interrupted_writes_are_removed_when_publication_starts()
    {
        var temporary = ArtifactKeys.TemporaryFor(Prefix + "model/model.safetensors");
        var path = Path.Combine(_root, "store", temporary);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "half of a file");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));

        await Outputs().PutTextAsync("report.json", "{}", "application/json", CancellationToken.None);

        Assert.False(File.Exists(path), "the interrupted write's temporary file is removed");
        Assert.Contains(_said, line => line.Contains("1 temporary object(s)", StringComparison.Ordinal));
    }

    private JobOutputs Outputs() => new(_store, Prefix, _said.Add);

    private static WorkerJobContext<EvaluationRun> Context() =>
        new(new EvaluationRun { Metadata = new V1ObjectMeta { Name = "nightly", Generation = 3 } }, "0b5e", Path.GetTempPath(), null);

    private string ModelFolder(string weights)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "model-" + Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(folder, "model.safetensors"), weights);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        return folder;
    }

    private async Task<string> ReadAsync(string key)
    {
        var stream = await _store.OpenReadAsync(key);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }
}
