using System.Net;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Tests.Preflight;

namespace Whetstone.Operator.Tests.FineTuning;

/// <summary>
/// The FineTuneJob controller inside the real operator host, against the embedded API server and local node
/// (see <see cref="OperatorFixture"/> for the scripted worker image). Jobs name a real model, dataset and output
/// folder on this machine, because the controller checks them before it starts a worker.
/// </summary>
public sealed class FineTuneJobControllerIntegrationTest(OperatorFixture cluster) : IClassFixture<OperatorFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly LocalArtifacts _artifacts = new();

    private CustomResourceClient<FineTuneJob> Jobs => new(cluster.Client);

    public void Dispose() => _artifacts.Dispose();

    private FineTuneJob Job(string name, string ns, int gpus = 0) => _artifacts.NewJob(name, ns, gpus);

    private async Task<string> NamespaceAsync() => await ClusterFixture.NewNamespaceAsync(cluster.Client);

    private async Task CreateAsync(FineTuneJob job) =>
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, job.Metadata.NamespaceProperty, Plurals.FineTuneJobs);

    private async Task<FineTuneJob> WaitForPhaseAsync(string ns, string name, string phase)
    {
        FineTuneJob? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await Jobs.GetAsync(ns, name, CancellationToken.None);
            return job?.Status?.Phase == phase;
        }, $"{ns}/{name} reaches {phase} (last seen {job?.Status?.Phase}: {job?.Status?.Message})", Patience);
        return job!;
    }

    private async Task<IList<Corev1Event>> EventsAsync(string ns, string name) =>
        (await cluster.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={name}")).Items;

    [Fact]
    public async Task A_job_whose_worker_succeeds_ends_Succeeded_with_conditions_events_and_observed_generation()
    {
        var ns = await NamespaceAsync();
        await CreateAsync(Job("ok-basic", ns));

        var job = await WaitForPhaseAsync(ns, "ok-basic", JobPhases.Succeeded);
        Assert.Equal(1, job.Status!.Attempts);
        Assert.Equal(job.Metadata.Generation, job.Status.ObservedGeneration);
        Assert.Contains(job.Status.Conditions!, c => c.Type == ConditionTypes.Succeeded && c.Status == "True");
        Assert.NotNull(job.Status.CompletionTime);
        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("ok-basic-worker-1", ns);
        Assert.Equal("FineTuneJob", pod.Metadata.OwnerReferences.Single().Kind);
        await Eventually.TrueAsync(async () => (await EventsAsync(ns, "ok-basic")).Any(e => e.Reason == ConditionReasons.Succeeded), "a Succeeded event is recorded");
    }

    [Fact]
    public async Task A_diverging_worker_fails_the_job_with_reason_Diverged_without_retrying()
    {
        var ns = await NamespaceAsync();
        await CreateAsync(Job("diverge-fast", ns));

        var job = await WaitForPhaseAsync(ns, "diverge-fast", JobPhases.Failed);
        var failed = job.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Failed);
        Assert.Equal(("True", ConditionReasons.Diverged), (failed.Status, failed.Reason));
        Assert.Contains("loss is NaN at step 7", failed.Message);
        Assert.Equal(1, job.Status.Attempts);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_and_the_next_attempt_succeeds()
    {
        var ns = await NamespaceAsync();
        await CreateAsync(Job("flaky-once", ns));

        var job = await WaitForPhaseAsync(ns, "flaky-once", JobPhases.Succeeded);
        Assert.Equal(2, job.Status!.Attempts);
        Assert.Contains(await EventsAsync(ns, "flaky-once"), e => e.Reason == "Retrying");
    }

    [Fact]
    public async Task A_job_waits_Queued_for_the_gpu_slot_and_runs_when_it_frees()
    {
        var ns = await NamespaceAsync();
        await CreateAsync(Job("gpu-first", ns, gpus: 1));
        await WaitForPhaseAsync(ns, "gpu-first", JobPhases.Running);
        await CreateAsync(Job("gpu-second", ns, gpus: 1));

        var queued = await WaitForPhaseAsync(ns, "gpu-second", JobPhases.Queued);
        Assert.Contains("nvidia.com/gpu", queued.Status!.Message);
        await WaitForPhaseAsync(ns, "gpu-first", JobPhases.Succeeded);
        await WaitForPhaseAsync(ns, "gpu-second", JobPhases.Succeeded);
    }

    [Fact]
    public async Task Suspend_stops_the_worker_and_resume_finishes_in_a_new_attempt()
    {
        var ns = await NamespaceAsync();
        await CreateAsync(Job("long-suspend", ns));
        await WaitForPhaseAsync(ns, "long-suspend", JobPhases.Running);

        await PatchSpecAsync(ns, "long-suspend", """{"spec":{"runPolicy":{"suspend":true}}}""");
        await WaitForPhaseAsync(ns, "long-suspend", JobPhases.Suspended);
        await Eventually.TrueAsync(async () => !(await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Any(p => p.Metadata.Name == "long-suspend-worker-1"),
            "the suspended worker pod is gone", Patience);

        await PatchSpecAsync(ns, "long-suspend", """{"spec":{"runPolicy":{"suspend":false}}}""");
        var job = await WaitForPhaseAsync(ns, "long-suspend", JobPhases.Succeeded);
        Assert.Equal(2, job.Status!.Attempts);
    }

    [Fact]
    public async Task Deleting_a_running_job_stops_its_worker()
    {
        var ns = await NamespaceAsync();
        await CreateAsync(Job("long-delete", ns));
        await WaitForPhaseAsync(ns, "long-delete", JobPhases.Running);

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs, "long-delete");
        await Eventually.TrueAsync(async () => await Jobs.GetAsync(ns, "long-delete", CancellationToken.None) is null, "the job is gone", Patience);
        await Eventually.TrueAsync(async () => (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items.Count == 0, "its worker pod is gone", Patience);
    }

    [Fact]
    public async Task A_jobs_workers_run_as_its_own_account_allowed_only_its_status_and_the_account_goes_with_the_job()
    {
        var ns = await NamespaceAsync();
        await CreateAsync(Job("long-access", ns));
        var job = await WaitForPhaseAsync(ns, "long-access", JobPhases.Running);

        var pod = await cluster.Client.CoreV1.ReadNamespacedPodAsync("long-access-worker-1", ns);
        Assert.Equal("long-access-finetunejob-worker", pod.Spec.ServiceAccountName);
        var account = await cluster.Client.CoreV1.ReadNamespacedServiceAccountAsync("long-access-finetunejob-worker", ns);
        var role = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("long-access-finetunejob-worker", ns);
        var binding = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync("long-access-finetunejob-worker", ns);
        foreach (var meta in new[] { account.Metadata, role.Metadata, binding.Metadata })
        {
            Assert.Equal(job.Metadata.Uid, Assert.Single(meta.OwnerReferences).Uid);
        }

        var status = Assert.Single(role.Rules, r => r.Resources.Contains("finetunejobs/status"));
        Assert.Equal(["get", "patch"], status.Verbs);
        Assert.Equal(["long-access"], status.ResourceNames);
        Assert.All(role.Rules, r => Assert.Equal(["long-access"], r.ResourceNames));
        Assert.Equal(("Role", "long-access-finetunejob-worker"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal("long-access-finetunejob-worker", Assert.Single(binding.Subjects).Name);

        // The real server enforces it on the token the worker pod was given.
        await CreateAsync(Job("ok-neighbour", ns));
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "store-keys" }, StringData = new Dictionary<string, string> { ["key"] = "k" } }, ns);
        var token = await PodCredentials.TokenAsync(cluster.Server, ns, "long-access-worker-1");
        using (var worker = PodCredentials.Connect(cluster.Server, token))
        {
            var user = $"User \"system:serviceaccount:{ns}:long-access-finetunejob-worker\"";
            var progress = new V1Patch("""{"status":{"progress":{"step":1,"totalSteps":10}}}""", V1Patch.PatchType.MergePatch);
            await worker.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs, "long-access");
            await worker.CustomObjects.PatchNamespacedCustomObjectStatusAsync(progress, WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs, "long-access");
            Assert.Equal(
                (HttpStatusCode.Forbidden, $"finetunejobs.whetstone.dev \"ok-neighbour\" is forbidden: {user} cannot patch resource \"finetunejobs/status\" in API group \"whetstone.dev\" in the namespace \"{ns}\""),
                await PodCredentials.RefusalAsync(() => worker.CustomObjects.PatchNamespacedCustomObjectStatusAsync(progress, WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs, "ok-neighbour")));
            Assert.Equal(
                (HttpStatusCode.Forbidden, $"pods is forbidden: {user} cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\""),
                await PodCredentials.RefusalAsync(() => worker.CoreV1.ListNamespacedPodAsync(ns)));
            Assert.Equal(
                (HttpStatusCode.Forbidden, $"secrets \"store-keys\" is forbidden: {user} cannot get resource \"secrets\" in API group \"\" in the namespace \"{ns}\""),
                await PodCredentials.RefusalAsync(() => worker.CoreV1.ReadNamespacedSecretAsync("store-keys", ns)));
        }

        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs, "long-access");
        await Eventually.TrueAsync(async () =>
            (await cluster.Client.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.All(a => a.Metadata.Name != "long-access-finetunejob-worker")
            && (await cluster.Client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.All(r => r.Metadata.Name != "long-access-finetunejob-worker")
            && (await cluster.Client.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.All(b => b.Metadata.Name != "long-access-finetunejob-worker"),
            "the job's worker account, role and binding are garbage-collected with it", Patience);
        using var revoked = PodCredentials.Connect(cluster.Server, token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PodCredentials.RefusalAsync(() => revoked.CoreV1.ListNamespacedPodAsync(ns))).Code);
    }

    [Fact]
    public async Task The_operator_serves_health_and_prometheus_metrics()
    {
        using var http = new HttpClient { BaseAddress = cluster.OperatorAddress };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        var ns = await NamespaceAsync();
        await CreateAsync(Job("ok-metrics", ns));
        await WaitForPhaseAsync(ns, "ok-metrics", JobPhases.Succeeded);

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("whetstone_reconciles_total{", metrics);
        Assert.Contains("whetstone_reconcile_duration_seconds_bucket{", metrics);
        Assert.Contains("whetstone_workqueue_depth", metrics);
        Assert.Contains("whetstone_jobs{", metrics);
    }

    private Task PatchSpecAsync(string ns, string name, string patch) =>
        cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs, name);
}
