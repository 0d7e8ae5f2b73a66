using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api.Serialization;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.LocalCluster;
using Whetstone.Worker.Tests.Jobs;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// <c>spec.baseModel.fineTuneJobRef</c> and <c>compressionJobRef</c>: in pod mode a referenced FineTuneJob is read from
/// the API server (embedded, with the real CRD) and its recorded model becomes the base model; every way it cannot be
/// used fails with ModelInvalid naming the field.
/// </summary>
public sealed class ModelReferenceTest
{
    private const string Group = "whetstone.dev";
    private const string Version = "v1alpha1";
    private const string Plural = "finetunejobs";
    private const string JobNamespace = "default";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Pod_mode_fineTuneJobRef_fine_tunes_from_the_referenced_jobs_model_and_records_its_digest_as_the_base()
    {
        using var scenario = new FineTuneScenario(records: 24);
        scenario.WriteTask(absoluteUris: true, epochs: 1);

        // Job A's model: the committed tiny model stored as a model directory (with manifest.json) in a file store.
        using var models = ArtifactStoreFactory.Create(new Uri(Path.Combine(scenario.Directory, "models") + "/").AbsoluteUri);
        var model = await ModelDirectories.UploadAsync(models, "base-job/model/", FineTuneScenario.BaseModelDirectory, new ModelProvenance(Producer: new ModelProducer("FineTuneJob", JobNamespace, "base-job", "a-uid")));

        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = Path.Combine(scenario.Directory, "cluster") }, CancellationToken.None);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            KubernetesJson.Deserialize<V1CustomResourceDefinition>(JsonYaml.Parse(File.ReadAllText(RepositoryFiles.Combine("crds/finetunejobs.whetstone.dev.yaml"))).ToJsonString()));
        var manifest = TaskDocument.Read(scenario.TaskPath);
        manifest["metadata"]!["name"] = "base-job";
        await ClusterJobs.CreateAsync(client, JobNamespace, Plural, manifest);
        await ClusterJobs.PatchStatusAsync(client, JobNamespace, Plural, "base-job", new JsonObject { ["phase"] = "Running" });
        manifest["metadata"]!["name"] = "test-job";
        manifest.Spec()["baseModel"] = new JsonObject { ["fineTuneJobRef"] = new JsonObject { ["name"] = "missing-job" } };
        var uid = await ClusterJobs.CreateAsync(client, JobNamespace, Plural, manifest);

        // A reference to a job that does not exist.
        var missing = await RunFailingAsync(scenario, server.KubeconfigPath, uid);
        Assert.Equal("ModelInvalid", missing.Reason);
        Assert.Contains("spec.baseModel.fineTuneJobRef", missing.Message, StringComparison.Ordinal);
        Assert.Contains("missing-job does not exist", missing.Message, StringComparison.Ordinal);

        // A reference to a job that has not succeeded.
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"baseModel":{"fineTuneJobRef":{"name":"base-job"}}}}""", V1Patch.PatchType.MergePatch), Group, Version, JobNamespace, Plural, "test-job");
        var running = await RunFailingAsync(scenario, server.KubeconfigPath, uid);
        Assert.Equal("ModelInvalid", running.Reason);
        Assert.Contains("spec.baseModel.fineTuneJobRef", running.Message, StringComparison.Ordinal);
        Assert.Contains("base-job has not succeeded (phase Running)", running.Message, StringComparison.Ordinal);

        // Job A succeeded and recorded its model: job B fine-tunes from it.
        await ClusterJobs.PatchStatusAsync(client, JobNamespace, Plural, "base-job", new JsonObject
        {
            ["phase"] = "Succeeded",
            ["artifacts"] = new JsonObject { ["model"] = new JsonObject { ["uri"] = model.Uri.ToString(), ["digest"] = model.Digest, ["sizeBytes"] = model.SizeBytes } },
        });
        using var worker = scenario.StartFromCluster(server.KubeconfigPath, JobNamespace, uid);
        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.True(exitCode == 0, worker.Output);
        // Outputs live under the generation the worker ran (the spec patch above made it 2).
        var job = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, JobNamespace, Plural, "test-job");
        var generation = "g" + job.GetProperty("metadata").GetProperty("generation").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("g2", generation);
        using var jobManifest = scenario.ReadJson(Path.Combine(scenario.OutputDirectory, uid, generation, "manifest.json"));
        var baseModel = jobManifest.RootElement.GetProperty("baseModel");
        Assert.Equal(model.Digest, baseModel.GetProperty("digest").GetString());
        Assert.Equal(model.Uri.ToString(), baseModel.GetProperty("uri").GetString());
        Assert.Equal("base-job", baseModel.GetProperty("fineTuneJobRef").GetString());
        using var outputs = ArtifactStoreFactory.Create(new Uri(scenario.OutputDirectory + "/").AbsoluteUri);
        var (merged, _) = await ModelDirectories.ReadManifestAsync(outputs, $"{uid}/{generation}/model/", null);
        Assert.Equal(model.Digest, merged.Manifest.SourceModelDigest);
        Assert.True(File.Exists(Path.Combine(scenario.Directory, "work", "models", "sha256-" + model.Digest["sha256:".Length..], "manifest.json")), "the referenced model is fetched through the model cache");
    }

    [Fact]
    public async Task Standalone_fineTuneJobRef_fails_ModelInvalid_because_it_needs_a_cluster()
    {
        using var scenario = new FineTuneScenario(records: 8);
        scenario.WriteTask(absoluteUris: true);
        TaskDocument.Edit(scenario.TaskPath, document => document.Spec()["baseModel"] = new JsonObject { ["fineTuneJobRef"] = new JsonObject { ["name"] = "support-lora" } });
        using var worker = scenario.Start();

        Assert.Equal(1, await worker.WaitAsync(RunTimeout));
        using var message = scenario.ReadJson(scenario.TerminationPath);
        Assert.Equal("ModelInvalid", message.RootElement.GetProperty("reason").GetString());
        var text = message.RootElement.GetProperty("message").GetString()!;
        Assert.Contains("spec.baseModel.fineTuneJobRef (support-lora)", text, StringComparison.Ordinal);
        Assert.Contains("without a cluster", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompressionJobRef_fails_ModelInvalid_saying_it_is_not_supported_yet()
    {
        using var scenario = new FineTuneScenario(records: 8);
        scenario.WriteTask(absoluteUris: true);
        TaskDocument.Edit(scenario.TaskPath, document => document.Spec()["baseModel"] = new JsonObject { ["compressionJobRef"] = new JsonObject { ["name"] = "support-int8" } });
        using var worker = scenario.Start();

        Assert.Equal(1, await worker.WaitAsync(RunTimeout));
        using var message = scenario.ReadJson(scenario.TerminationPath);
        Assert.Equal("ModelInvalid", message.RootElement.GetProperty("reason").GetString());
        var text = message.RootElement.GetProperty("message").GetString()!;
        Assert.Contains("spec.baseModel.compressionJobRef (support-int8): not supported yet", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Base_model_with_both_uri_and_fineTuneJobRef_fails_ModelInvalid_asking_for_exactly_one()
    {
        using var scenario = new FineTuneScenario(records: 8);
        scenario.WriteTask(absoluteUris: true);
        TaskDocument.Edit(scenario.TaskPath, document => document.Spec()["baseModel"]!["fineTuneJobRef"] = new JsonObject { ["name"] = "support-lora" });
        using var worker = scenario.Start();

        Assert.Equal(1, await worker.WaitAsync(RunTimeout));
        using var message = scenario.ReadJson(scenario.TerminationPath);
        Assert.Equal("ModelInvalid", message.RootElement.GetProperty("reason").GetString());
        Assert.Contains("spec.baseModel: exactly one of uri, fineTuneJobRef or compressionJobRef", message.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(string Reason, string Message)> RunFailingAsync(FineTuneScenario scenario, string kubeconfig, string uid)
    {
        File.Delete(scenario.TerminationPath);
        using var worker = scenario.StartFromCluster(kubeconfig, JobNamespace, uid);
        var exitCode = await worker.WaitAsync(RunTimeout);
        Assert.True(exitCode == 1, worker.Output);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
        using var message = scenario.ReadJson(scenario.TerminationPath);
        return (message.RootElement.GetProperty("reason").GetString()!, message.RootElement.GetProperty("message").GetString()!);
    }
}
