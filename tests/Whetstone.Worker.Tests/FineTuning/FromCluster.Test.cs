using System.Text.Json;
using k8s;
using k8s.Models;
using Whetstone.Api.Serialization;
using Whetstone.LocalCluster;

using Whetstone.Worker.Tests.Jobs;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// Pod mode against the embedded API server with the real FineTuneJob CRD: the worker reads its job and patches only
/// the worker-owned status fields, leaving the operator's phase alone.
/// </summary>
public sealed class FromClusterTest
{
    private const string Group = "whetstone.dev";
    private const string Version = "v1alpha1";
    private const string Plural = "finetunejobs";

    [Fact]
    public async Task From_cluster_run_patches_worker_owned_status_and_keeps_the_operators_phase()
    {
        using var scenario = new FineTuneScenario();
        scenario.WriteTask(absoluteUris: true);
        var data = Path.Combine(scenario.Directory, "cluster");
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = data }, CancellationToken.None);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(JsonYaml.Parse(File.ReadAllText(RepositoryFiles.Combine("crds/finetunejobs.whetstone.dev.yaml"))).ToJsonString());
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        const string jobNamespace = "default";
        var uid = await ClusterJobs.CreateAsync(client, jobNamespace, Plural, JsonYaml.Parse(File.ReadAllText(scenario.TaskPath)));
        await ClusterJobs.PatchStatusAsync(client, jobNamespace, Plural, "test-job", new System.Text.Json.Nodes.JsonObject { ["phase"] = "Running" });

        using var worker = scenario.StartFromCluster(server.KubeconfigPath, jobNamespace, uid);
        var exitCode = await worker.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, worker.Output);
        var job = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, jobNamespace, Plural, "test-job");
        var status = job.GetProperty("status");
        Assert.Equal("Running", status.GetProperty("phase").GetString());
        Assert.Equal(100, status.GetProperty("progress").GetProperty("percent").GetInt32());
        Assert.True(status.GetProperty("lossHistory").GetArrayLength() is > 0 and <= 100);
        Assert.StartsWith("sha256:", status.GetProperty("dataset").GetProperty("digest").GetString(), StringComparison.Ordinal);
        // Outputs of the generation the worker ran (a new job is at generation 1), and status says which one.
        Assert.Contains("/" + uid + "/g1/model/", status.GetProperty("artifacts").GetProperty("model").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, status.GetProperty("artifacts").GetProperty("generation").GetInt64());
        Assert.True(File.Exists(Path.Combine(scenario.OutputDirectory, uid, "g1", "model", "manifest.json")));
        Assert.True(status.GetProperty("cost").GetProperty("estimatedGpuSeconds").GetDouble() > 0);
    }
}
