using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.PolishJobs;

/// <summary>
/// The shared worker-job lifecycle run end to end by a kind that is not one of the product's (<see cref="PolishJob"/>):
/// success, retry, permanent failure, suspend and resume, deadline, time to live, its own preflight check, and a worker
/// account the operator refuses to adopt. Nothing here touches FineTuneJob code.
/// </summary>
public sealed class PolishJobLifecycleIntegrationTest(PolishJobFixture cluster) : IClassFixture<PolishJobFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private CustomResourceClient<PolishJob> Jobs => new(cluster.Client);

    private static PolishJob Job(string name, string ns, RunPolicy? runPolicy = null, int grit = 400) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new PolishJobSpec { Grit = grit, RunPolicy = runPolicy ?? new RunPolicy { BackoffLimit = 2 } },
    };

    private async Task<string> CreateAsync(PolishJob job)
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        job.Metadata.NamespaceProperty = ns;
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, PolishJob.Group, PolishJob.Version, ns, PolishJob.Plural);
        return ns;
    }

    private async Task<PolishJob> WaitForPhaseAsync(string ns, string name, string phase)
    {
        PolishJob? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await Jobs.GetAsync(ns, name, CancellationToken.None);
            return job?.Status?.Phase == phase;
        }, $"{ns}/{name} reaches {phase} (last seen {job?.Status?.Phase}: {job?.Status?.Message})", Patience);
        return job!;
    }

    private async Task<IList<V1Pod>> PodsAsync(string ns) => (await cluster.Client.CoreV1.ListNamespacedPodAsync(ns)).Items;

    private async Task<IList<Corev1Event>> EventsAsync(string ns, string name) =>
        (await cluster.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={name}")).Items;

    private static V1Condition Condition(PolishJob job, string type) => job.Status!.Conditions!.Single(c => c.Type == type);

    private Task PatchSpecAsync(string ns, string name, string patch) =>
        cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(patch, V1Patch.PatchType.MergePatch), PolishJob.Group, PolishJob.Version, ns, PolishJob.Plural, name);

    [Fact]
    public async Task A_polish_job_whose_worker_succeeds_ends_Succeeded_with_the_kinds_subcommand_and_its_own_account()
    {
        var ns = await CreateAsync(Job("ok-polish", "_"));

        var job = await WaitForPhaseAsync(ns, "ok-polish", JobPhases.Succeeded);
        Assert.Equal(1, job.Status!.Attempts);
        Assert.Equal(job.Metadata.Generation, job.Status.ObservedGeneration);
        Assert.Equal(("True", ConditionReasons.Succeeded), (Condition(job, ConditionTypes.Succeeded).Status, Condition(job, ConditionTypes.Succeeded).Reason));
        Assert.NotNull(job.Status.CompletionTime);
        var pod = Assert.Single(await PodsAsync(ns));
        Assert.Equal(["polish", "--from-cluster"], pod.Spec.Containers.Single().Args);
        Assert.Equal("PolishJob", pod.Metadata.OwnerReferences.Single().Kind);
        Assert.Equal("ok-polish-polishjob-worker", pod.Spec.ServiceAccountName);
        var role = await cluster.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("ok-polish-polishjob-worker", ns);
        Assert.Contains(role.Rules, r => r.Resources.SequenceEqual(["polishjobs/status"]) && r.ResourceNames.SequenceEqual(["ok-polish"]));
        await Eventually.TrueAsync(async () => (await EventsAsync(ns, "ok-polish")).Any(e => e.Reason == ConditionReasons.Succeeded), "a Succeeded event is recorded");
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_and_the_retry_succeeds()
    {
        var ns = await CreateAsync(Job("flaky-polish", "_"));

        var job = await WaitForPhaseAsync(ns, "flaky-polish", JobPhases.Succeeded);
        Assert.Equal(2, job.Status!.Attempts);
        Assert.Contains(await EventsAsync(ns, "flaky-polish"), e => e.Reason == WorkerEventReasons.Retrying);
    }

    [Fact]
    public async Task The_kinds_permanent_reason_fails_the_job_at_once_without_a_retry()
    {
        var ns = await CreateAsync(Job("blunt-polish", "_"));

        var job = await WaitForPhaseAsync(ns, "blunt-polish", JobPhases.Failed);
        var failed = Condition(job, ConditionTypes.Failed);
        Assert.Equal(("True", PolishJobKind.Blunt), (failed.Status, failed.Reason));
        Assert.Contains("the blade is blunt", failed.Message);
        Assert.Equal(1, job.Status!.Attempts);
    }

    [Fact]
    public async Task Suspend_stops_the_worker_and_resume_finishes_in_a_new_attempt()
    {
        var ns = await CreateAsync(Job("long-polish", "_"));
        await WaitForPhaseAsync(ns, "long-polish", JobPhases.Running);

        await PatchSpecAsync(ns, "long-polish", """{"spec":{"runPolicy":{"suspend":true}}}""");
        await WaitForPhaseAsync(ns, "long-polish", JobPhases.Suspended);
        await Eventually.TrueAsync(async () => (await PodsAsync(ns)).All(p => p.Metadata.Name != "long-polish-worker-1"), "the suspended worker pod is gone", Patience);

        await PatchSpecAsync(ns, "long-polish", """{"spec":{"runPolicy":{"suspend":false}}}""");
        var job = await WaitForPhaseAsync(ns, "long-polish", JobPhases.Succeeded);
        Assert.Equal(2, job.Status!.Attempts);
    }

    [Fact]
    public async Task A_job_running_past_its_deadline_fails_with_DeadlineExceeded()
    {
        var ns = await CreateAsync(Job("stuck-polish", "_", new RunPolicy { ActiveDeadlineSeconds = 3 }));

        var job = await WaitForPhaseAsync(ns, "stuck-polish", JobPhases.Failed);
        Assert.Equal(ConditionReasons.DeadlineExceeded, Condition(job, ConditionTypes.Failed).Reason);
    }

    [Fact]
    public async Task A_finished_job_is_deleted_after_its_time_to_live()
    {
        var ns = await CreateAsync(Job("ok-ttl", "_", new RunPolicy { TtlSecondsAfterFinished = 1 }));

        await WaitForPhaseAsync(ns, "ok-ttl", JobPhases.Succeeded);
        await Eventually.TrueAsync(async () => await Jobs.GetAsync(ns, "ok-ttl", CancellationToken.None) is null, "the job is deleted after its TTL", Patience);
    }

    [Fact]
    public async Task The_kinds_own_preflight_check_fails_the_job_before_any_worker_pod()
    {
        var ns = await CreateAsync(Job("ok-coarse", "_", grit: 5000));

        var job = await WaitForPhaseAsync(ns, "ok-coarse", JobPhases.Failed);
        var failed = Condition(job, ConditionTypes.Failed);
        Assert.Equal(PolishJobKind.GritTooCoarse, failed.Reason);
        Assert.Contains("spec.grit", failed.Message);
        Assert.Empty(await PodsAsync(ns));
    }

    [Fact]
    public async Task A_worker_account_the_operator_did_not_create_is_not_adopted_and_the_job_fails()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(
            new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "ok-taken-polishjob-worker", NamespaceProperty = ns } }, ns);
        var job = Job("ok-taken", ns);
        await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, PolishJob.Group, PolishJob.Version, ns, PolishJob.Plural);

        var failed = await WaitForPhaseAsync(ns, "ok-taken", JobPhases.Failed);
        var condition = Condition(failed, ConditionTypes.Failed);
        Assert.Equal(WorkerAccessReasons.WorkerAccountNotOwned, condition.Reason);
        Assert.Contains($"ServiceAccount {ns}/ok-taken-polishjob-worker already exists", condition.Message);
        Assert.Empty(await PodsAsync(ns));
        var account = await cluster.Client.CoreV1.ReadNamespacedServiceAccountAsync("ok-taken-polishjob-worker", ns);
        Assert.Null(account.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Gpu_seconds_count_only_the_time_worker_containers_ran_not_the_time_suspended()
    {
        var job = Job("long-gpu", "_");
        job.Spec.Resources = new WorkerResources { Gpu = new GpuResources { Count = 1 } };
        var ns = await CreateAsync(job);
        await WaitForPhaseAsync(ns, "long-gpu", JobPhases.Running);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await PatchSpecAsync(ns, "long-gpu", """{"spec":{"runPolicy":{"suspend":true}}}""");
        await WaitForPhaseAsync(ns, "long-gpu", JobPhases.Suspended);
        await Eventually.TrueAsync(async () => (await PodsAsync(ns)).All(p => p.Metadata.Name != "long-gpu-worker-1"), "the suspended worker pod is gone", Patience);
        await Task.Delay(TimeSpan.FromSeconds(5));

        await PatchSpecAsync(ns, "long-gpu", """{"spec":{"runPolicy":{"suspend":false}}}""");
        var done = await WaitForPhaseAsync(ns, "long-gpu", JobPhases.Succeeded);

        var span = (done.Status!.CompletionTime!.Value - done.Status.StartTime!.Value).TotalSeconds;
        var gpuSeconds = await GpuSecondsAsync();
        Assert.InRange(gpuSeconds, 1.5, span - 4);
    }

    private async Task<double> GpuSecondsAsync()
    {
        using var http = new HttpClient { BaseAddress = cluster.OperatorAddress };
        string? line = null;
        await Eventually.TrueAsync(async () =>
        {
            line = (await http.GetStringAsync("/metrics")).Split('\n')
                .FirstOrDefault(l => l.StartsWith("whetstone_gpu_seconds_total{", StringComparison.Ordinal) && l.Contains("kind=\"PolishJob\"", StringComparison.Ordinal));
            return line is not null;
        }, "the operator reports GPU-seconds for PolishJob");
        return double.Parse(line![(line!.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
