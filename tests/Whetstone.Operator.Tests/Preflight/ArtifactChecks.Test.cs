using System.Net;
using System.Net.Sockets;
using k8s;
using Microsoft.Extensions.Options;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;

namespace Whetstone.Operator.Tests.Preflight;

/// <summary>
/// The single checks against real stores: <c>file://</c> directories written by hand and through the artifact store
/// library, and an S3 endpoint nobody listens on. No API server is needed (no Secret is configured).
/// </summary>
public sealed class ArtifactChecksTest : IDisposable
{
    private readonly LocalArtifacts _artifacts = new();
    private readonly Kubernetes _client = new(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });

    public void Dispose()
    {
        _client.Dispose();
        _artifacts.Dispose();
    }

    private ArtifactChecks Checks(IDictionary<string, string>? environment = null)
    {
        var workers = Options.Create(new WorkerOptions { ArtifactStoreSecretName = "", Environment = environment ?? new Dictionary<string, string>() });
        var preflight = Options.Create(new PreflightOptions { StoreRequestTimeout = TimeSpan.FromSeconds(5), StoreMaxRetryAttempts = 0 });
        return new ArtifactChecks(new ArtifactStoreProvider(_client, workers, preflight), preflight);
    }

    [Fact]
    public async Task A_plain_model_directory_passes_and_its_digest_is_that_of_its_weights()
    {
        var verdict = await Checks().CheckModelAsync("ns", new ModelSource { Uri = _artifacts.ModelUri, Digest = _artifacts.ModelDigest }, "spec.baseModel", default);
        Assert.Equal(PreflightOutcome.Passed, verdict.Outcome);
        Assert.Contains(_artifacts.ModelDigest, verdict.Message);
    }

    [Fact]
    public async Task A_plain_model_directory_pinned_to_another_digest_is_a_DigestMismatch_naming_both()
    {
        var pin = "sha256:" + new string('a', 64);
        var verdict = await Checks().CheckModelAsync("ns", new ModelSource { Uri = _artifacts.ModelUri, Digest = pin }, "spec.baseModel", default);
        Assert.Equal((PreflightOutcome.Failed, ConditionReasons.DigestMismatch), (verdict.Outcome, verdict.Reason));
        Assert.Equal($"spec.baseModel.digest pins {pin}, but the model at {_artifacts.ModelUri} has digest {_artifacts.ModelDigest}", verdict.Message);
    }

    [Fact]
    public async Task A_folder_without_a_model_is_SourceNotFound_naming_the_field()
    {
        var empty = new Uri(_artifacts.OutputDirectory + "/").AbsoluteUri;
        var verdict = await Checks().CheckModelAsync("ns", new ModelSource { Uri = empty }, "spec.baseModel", default);
        Assert.Equal((PreflightOutcome.Failed, ConditionReasons.SourceNotFound), (verdict.Outcome, verdict.Reason));
        Assert.Equal($"spec.baseModel.uri: no model at {empty} (no manifest.json or config.json)", verdict.Message);
    }

    [Fact]
    public async Task A_stored_model_is_identified_by_its_manifest_digest()
    {
        using var store = ArtifactStoreFactory.Create(new Uri(_artifacts.Root + "/store/"));
        var stored = await ModelDirectories.UploadAsync(store, "models/tiny/v1", _artifacts.ModelDirectory, new ModelProvenance());
        var uri = store.GetUri("models/tiny/v1/").AbsoluteUri;

        var pinned = await Checks().CheckModelAsync("ns", new ModelSource { Uri = uri, Digest = stored.Digest }, "spec.baseModel", default);
        Assert.Equal(PreflightOutcome.Passed, pinned.Outcome);
        var weights = await Checks().CheckModelAsync("ns", new ModelSource { Uri = uri, Digest = _artifacts.ModelDigest }, "spec.baseModel", default);
        Assert.Equal(ConditionReasons.DigestMismatch, weights.Reason);
        Assert.Contains($"has digest {stored.Digest}", weights.Message);
    }

    [Fact]
    public async Task A_dataset_pin_is_checked_against_the_file_and_a_missing_file_is_SourceNotFound()
    {
        var checks = Checks();
        Assert.Equal(PreflightOutcome.Passed, (await checks.CheckDatasetAsync("ns", _artifacts.DatasetUri, _artifacts.DatasetDigest, "spec.dataset", default)).Outcome);

        var wrong = await checks.CheckDatasetAsync("ns", _artifacts.DatasetUri, "sha256:" + new string('b', 64), "spec.dataset", default);
        Assert.Equal(ConditionReasons.DigestMismatch, wrong.Reason);
        Assert.Contains(_artifacts.DatasetDigest, wrong.Message);

        var missing = _artifacts.DatasetUri + ".gone";
        var gone = await checks.CheckDatasetAsync("ns", missing, null, "spec.dataset", default);
        Assert.Equal((ConditionReasons.SourceNotFound, $"spec.dataset.uri: no dataset file at {missing}"), (gone.Reason, gone.Message));
    }

    [Fact]
    public async Task A_stored_datasets_pin_is_compared_with_its_sidecar_digest()
    {
        using var store = ArtifactStoreFactory.Create(new Uri(_artifacts.Root + "/store/"));
        var stored = await store.PutAsync("datasets/support.jsonl", File.OpenRead(_artifacts.DatasetPath));
        // The sidecar, not the bytes, is what a large dataset's pin is compared with: make them disagree to see which is read.
        File.AppendAllText(new Uri(stored.Uri.AbsoluteUri).LocalPath, "{\"messages\": []}\n");

        var verdict = await Checks().CheckDatasetAsync("ns", stored.Uri.AbsoluteUri, stored.Digest, "spec.dataset", default);
        Assert.Equal(PreflightOutcome.Passed, verdict.Outcome);
    }

    [Fact]
    public async Task A_writable_output_passes_and_the_probe_leaves_nothing_behind()
    {
        var verdict = await Checks().CheckOutputAsync("ns", _artifacts.OutputUri, "uid-1", "spec.output.uri", default);
        Assert.Equal(PreflightOutcome.Passed, verdict.Outcome);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_artifacts.OutputDirectory));
    }

    [Fact]
    public async Task Many_jobs_probing_one_output_prefix_at_once_all_pass_and_leave_nothing_behind()
    {
        // Found by the 1,000-job benchmark: probes that shared a folder, which one of them removed while another wrote.
        var checks = Checks();
        var verdicts = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(() => checks.CheckOutputAsync("ns", _artifacts.OutputUri, $"uid-{i}", "spec.output.uri", default))));
        Assert.All(verdicts, verdict => Assert.Equal(PreflightOutcome.Passed, verdict.Outcome));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_artifacts.OutputDirectory));
    }

    [Fact]
    public async Task An_unwritable_or_missing_output_is_OutputNotWritable()
    {
        var unwritable = await Checks().CheckOutputAsync("ns", _artifacts.UnwritableOutputUri(), "uid-1", "spec.output.uri", default);
        Assert.Equal((PreflightOutcome.Failed, ConditionReasons.OutputNotWritable), (unwritable.Outcome, unwritable.Reason));
        Assert.StartsWith("spec.output.uri: ", unwritable.Message);
        Assert.Matches("is a file, not a folder|Access to the path .* is denied", unwritable.Message);

        var unset = await Checks().CheckOutputAsync("ns", null, "uid-1", "spec.output.uri", default);
        Assert.Equal((ConditionReasons.OutputNotWritable, "spec.output.uri is not set: the worker needs a prefix to write its artifacts under"), (unset.Reason, unset.Message));
    }

    [Fact]
    public async Task An_S3_endpoint_nobody_listens_on_makes_every_check_wait_with_ArtifactStoreUnavailable()
    {
        var checks = Checks(new Dictionary<string, string>
        {
            ["WHETSTONE_S3_ENDPOINT"] = $"http://127.0.0.1:{ClosedPort()}",
            ["WHETSTONE_S3_ACCESS_KEY"] = "key",
            ["WHETSTONE_S3_SECRET_KEY"] = "secret",
        });

        var model = await checks.CheckModelAsync("ns", new ModelSource { Uri = "s3://models/tiny/v1/" }, "spec.baseModel", default);
        var dataset = await checks.CheckDatasetAsync("ns", "s3://datasets/support.jsonl", null, "spec.dataset", default);
        var output = await checks.CheckOutputAsync("ns", "s3://out/support/", "uid-1", "spec.output.uri", default);
        foreach (var (verdict, field) in new[] { (model, "spec.baseModel.uri"), (dataset, "spec.dataset.uri"), (output, "spec.output.uri") })
        {
            Assert.Equal((PreflightOutcome.Waiting, ConditionReasons.ArtifactStoreUnavailable), (verdict.Outcome, verdict.Reason));
            Assert.StartsWith(field + ": ", verdict.Message);
        }
    }

    [Fact]
    public async Task S3_without_an_endpoint_waits_and_says_which_setting_is_missing()
    {
        var verdict = await Checks().CheckDatasetAsync("ns", "s3://datasets/support.jsonl", null, "spec.dataset", default);
        Assert.Equal((PreflightOutcome.Waiting, ConditionReasons.ArtifactStoreUnavailable), (verdict.Outcome, verdict.Reason));
        Assert.Contains("WHETSTONE_S3_ENDPOINT", verdict.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
