using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Serialization;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Artifacts;
using Whetstone.Artifacts.Models;
using Whetstone.Datasets;
using Whetstone.LocalCluster;
using Whetstone.Worker.FineTuning;
using Whetstone.Worker.Tests.FineTuning;
using Whetstone.Worker.Tests.Jobs;

namespace Whetstone.Worker.Tests.Compression;

/// <summary>
/// A CompressionJob's training steps by reference, in pod mode against the embedded API server: the distill step's
/// records are the cleaned train and validation splits a Succeeded FineTuneJob versioned (read as they are, each split
/// checked against the dataset's manifest), the teacher is that job's model; training on its test split, which the
/// alignment is measured on, is refused naming the field.
/// </summary>
public sealed class CompressStepReferencesIntegrationTest : IDisposable
{
    private const string Namespace = "default";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "whetstone-compress-references-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_distill_step_trains_on_the_referenced_fine_tunes_train_split_and_refuses_its_test_split()
    {
        Directory.CreateDirectory(_root);
        var (prepared, preparedUri) = await PrepareDatasetAsync();
        using var models = ArtifactStoreFactory.Create(new Uri(Path.Combine(_root, "models") + "/").AbsoluteUri);
        var model = await ModelDirectories.UploadAsync(models, "tuned/model/", RepositoryFiles.Combine("examples/models/tiny-llama"),
            new ModelProvenance(Producer: new ModelProducer("FineTuneJob", Namespace, "tuned", "a-uid")));

        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = Path.Combine(_root, "cluster") }, CancellationToken.None);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
        foreach (var crd in new[] { "crds/finetunejobs.whetstone.dev.yaml", "crds/compressionjobs.whetstone.dev.yaml" })
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
                KubernetesJson.Deserialize<V1CustomResourceDefinition>(JsonYaml.Parse(File.ReadAllText(RepositoryFiles.Combine(crd))).ToJsonString()));
        }

        await ClusterJobs.CreateAsync(client, Namespace, Plurals.FineTuneJobs, new JsonObject
        {
            ["apiVersion"] = "whetstone.dev/v1alpha1", ["kind"] = Kinds.FineTuneJob, ["metadata"] = new JsonObject { ["name"] = "tuned" },
            ["spec"] = new JsonObject
            {
                ["baseModel"] = new JsonObject { ["uri"] = "file:///models/base/" },
                ["dataset"] = new JsonObject { ["uri"] = "file:///data/chats.jsonl", ["format"] = DatasetFormats.Chat },
                ["output"] = new JsonObject { ["uri"] = "file:///out/" },
            },
        });
        await ClusterJobs.PatchStatusAsync(client, Namespace, Plurals.FineTuneJobs, "tuned", new JsonObject
        {
            ["phase"] = JobPhases.Succeeded,
            ["artifacts"] = new JsonObject
            {
                ["model"] = new JsonObject { ["uri"] = model.Uri.ToString(), ["digest"] = model.Digest, ["sizeBytes"] = model.SizeBytes },
                ["dataset"] = new JsonObject { ["uri"] = preparedUri, ["digest"] = PreparedDatasetReader.ReadDigest(prepared) },
                ["testSplit"] = new JsonObject { ["uri"] = preparedUri + "test.jsonl" },
            },
        });
        var uid = await ClusterJobs.CreateAsync(client, Namespace, Plurals.CompressionJobs, CompressionJob(split: null));

        using (var worker = Start(server.KubeconfigPath, uid))
        {
            var exitCode = await worker.WaitAsync(TimeSpan.FromMinutes(8));

            Assert.True(exitCode == 0, worker.Output);
            var train = PreparedDatasetReader.ReadSplit(prepared, DatasetSplits.Train).Count;
            var validation = PreparedDatasetReader.ReadSplit(prepared, DatasetSplits.Validation).Count;
            var line = $"spec.steps[0].distill.dataset FineTuneJob tuned (train split of {PreparedDatasetReader.ReadDigest(prepared)}): {train} train records, {train}/{validation} train/validation examples";
            // The console wraps long lines at its width.
            Assert.True(worker.Output.Replace("\n", "", StringComparison.Ordinal).Contains(line, StringComparison.Ordinal), $"expected \"{line}\" in:\n{worker.Output}");
            var status = await GetStatusAsync(client);
            Assert.Equal(StepPhases.Succeeded, status.Steps![0].Phase);
            Assert.Equal(869_504, status.Steps[0].Metrics!["teacherParameters"]);
        }

        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.CompressionJobs, "distilled");
        uid = await ClusterJobs.CreateAsync(client, Namespace, Plurals.CompressionJobs, CompressionJob(split: DatasetSplits.Test));
        var termination = Path.Combine(_root, "termination-log");
        using (var refused = Start(server.KubeconfigPath, uid))
        {
            var exitCode = await refused.WaitAsync(TimeSpan.FromMinutes(5));

            Assert.True(exitCode == 1, refused.Output);
            var message = WorkerTerminationMessage.Parse(File.ReadAllText(termination))!;
            Assert.Equal(ConditionReasons.DatasetInvalid, message.Reason);
            Assert.StartsWith("spec.steps[0].distill.dataset.split: test is the held-out split", message.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("distill: step ", refused.Output, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    // 120 shipped chats cleaned and split as a FineTuneJob does, written as its versioned dataset folder.
    private async Task<(string Directory, string Uri)> PrepareDatasetAsync()
    {
        var chats = Path.Combine(_root, "chats.jsonl");
        File.WriteAllLines(chats, File.ReadLines(RepositoryFiles.Combine("examples/datasets/support-chat.jsonl")).Take(120));
        var options = FineTuneDatasetOptions.Calculate(new FineTuneDataset { Uri = "file://chats.jsonl", Format = DatasetFormats.Chat }, chats);
        var directory = Path.Combine(_root, "prepared");
        await PreparedDatasetWriter.WriteAsync(DatasetPreparer.PrepareFile(chats, options), directory);
        return (directory, new Uri(directory + "/").AbsoluteUri);
    }

    private JsonObject CompressionJob(string? split)
    {
        var dataset = new JsonObject { ["fineTuneJobRef"] = new JsonObject { ["name"] = "tuned" } };
        if (split is not null)
        {
            dataset["split"] = split;
        }

        return new JsonObject
        {
            ["apiVersion"] = "whetstone.dev/v1alpha1", ["kind"] = Kinds.CompressionJob, ["metadata"] = new JsonObject { ["name"] = "distilled" },
            ["spec"] = new JsonObject
            {
                ["sourceModel"] = new JsonObject { ["fineTuneJobRef"] = new JsonObject { ["name"] = "tuned" } },
                ["steps"] = new JsonArray(
                    new JsonObject
                    {
                        ["distill"] = new JsonObject
                        {
                            ["student"] = new JsonObject { ["layers"] = 2, ["hiddenSize"] = 64 },
                            ["dataset"] = dataset,
                            ["epochs"] = 1,
                            ["learningRate"] = 0.003,
                        },
                    },
                    new JsonObject { ["convert"] = new JsonObject { ["format"] = "onnx" } }),
                ["alignment"] = new JsonObject { ["maxAccuracyDrop"] = 1, ["minCosineSimilarity"] = 0 },
                ["output"] = new JsonObject { ["uri"] = new Uri(Path.Combine(_root, "out") + "/").AbsoluteUri },
            },
        };
    }

    private WorkerProcess Start(string kubeconfig, string uid) => new(
        ["compress", "--from-cluster", "--work-dir", Path.Combine(_root, "work")],
        new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig,
            [WorkerEnvironmentVariables.JobNamespace] = Namespace,
            [WorkerEnvironmentVariables.JobName] = "distilled",
            [WorkerEnvironmentVariables.JobUid] = uid,
            [WorkerEnvironmentVariables.Attempt] = "1",
            [WorkerEnvironmentVariables.TerminationMessagePath] = Path.Combine(_root, "termination-log"),
            ["WHETSTONE_TORCH_THREADS"] = "2",
        });

    private static async Task<CompressionJobStatus> GetStatusAsync(Kubernetes client)
    {
        var body = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.CompressionJobs, "distilled");
        return KubernetesJson.Deserialize<CompressionJobStatus>(body.GetProperty("status").GetRawText());
    }
}
