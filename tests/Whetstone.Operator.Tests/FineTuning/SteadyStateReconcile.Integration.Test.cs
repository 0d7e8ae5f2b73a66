using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.LocalCluster;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.FineTuning;

/// <summary>
/// The guarantee that a reconcile of a world that did not change makes no write: no status, finalizer, pod or event
/// request at all. Checked on jobs that finished, failed, wait out a retry back-off, or are running, by the API
/// server's own request count.
/// </summary>
public sealed class SteadyStateReconcileIntegrationTest(SteadyStateCluster cluster) : IClassFixture<SteadyStateCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reconciling_settled_jobs_after_an_unrelated_annotation_change_writes_nothing()
    {
        await cluster.WaitUntilOperatorQuietAsync();
        var before = cluster.OperatorWrites();
        var reconciles = cluster.Reconciles;
        var versions = await ResourceVersionsAsync();

        foreach (var name in cluster.Jobs.Keys)
        {
            await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch(KubernetesJson.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { ["example.com/touched"] = $"{Guid.NewGuid():N}" } } }), V1Patch.PatchType.MergePatch),
                WhetstoneApi.Group, WhetstoneApi.Version, cluster.Namespace, Plurals.FineTuneJobs, name);
        }

        await Eventually.TrueAsync(() => cluster.Reconciles >= reconciles + cluster.Jobs.Count, $"the operator reconciles all {cluster.Jobs.Count} touched jobs", Patience);
        await cluster.WaitUntilOperatorQuietAsync();
        AssertNoWritesSince(before);
        var after = await ResourceVersionsAsync();
        Assert.All(cluster.Jobs.Keys, name => Assert.Equal(versions[name].Phase, after[name].Phase));
    }

    [Fact]
    public async Task A_restarted_operator_reconciles_every_settled_job_and_writes_nothing()
    {
        await cluster.WaitUntilOperatorQuietAsync();
        var before = cluster.OperatorWrites();
        var versions = await ResourceVersionsAsync();

        var requestsBefore = cluster.Server.Requests.Snapshot();

        await cluster.RestartOperatorAsync();

        await Eventually.TrueAsync(() => cluster.Reconciles >= cluster.Jobs.Count, $"the new operator reconciles all {cluster.Jobs.Count} jobs", Patience);
        await cluster.WaitUntilOperatorQuietAsync();
        AssertNoWritesSince(before);
        Assert.Equal(versions, await ResourceVersionsAsync());
        var podReads = cluster.Server.Requests.Snapshot()
            .Where(r => r.Key is { Verb: "get", Resource: "pods" } && r.Key.Agent is not (SteadyStateCluster.TestAgent or SteadyStateCluster.NodeAgent))
            .Sum(r => r.Value - requestsBefore.GetValueOrDefault(r.Key));
        Assert.True(podReads == 0, $"the restarted operator read {podReads} pods one by one instead of waiting for its pod cache");
    }

    private void AssertNoWritesSince(IReadOnlyDictionary<ApiRequestKind, long> before)
    {
        var made = cluster.OperatorWrites()
            .Select(w => (w.Key, Count: w.Value - before.GetValueOrDefault(w.Key)))
            .Where(w => w.Count > 0)
            .Select(w => $"{w.Count} x {w.Key.Verb} {w.Key.Resource} ({w.Key.Agent})")
            .ToList();
        Assert.True(made.Count == 0, $"the operator wrote although nothing changed: {string.Join("; ", made)}");
    }

    private async Task<Dictionary<string, (string Version, string? Phase)>> ResourceVersionsAsync() =>
        (await cluster.ListJobsAsync()).ToDictionary(j => j.Metadata.Name, j => (j.Metadata.ResourceVersion, j.Status?.Phase), StringComparer.Ordinal);
}
