using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Tests.Preflight;
using Whetstone.Operator.Workers;

namespace Whetstone.Operator.Tests.Workers;

/// <summary>
/// <c>PerJobServiceAccounts</c> false on the embedded default, which enforces RBAC: workers run as the shared account
/// the chart (or <c>whetstone up</c>) creates (<see cref="SharedWorkerAccess"/>), and the worker's own credentials,
/// the kubeconfig the kubelet wrote for its pod, may patch its job's status but not list pods.
/// </summary>
public sealed class SharedWorkerAccountIntegrationTest : IAsyncLifetime
{
    private const string WorkerImage = "whetstone/worker:shared";
    private const string Account = "whetstone-worker";

    // The scripted worker writes progress with its own KUBECONFIG, as the real worker does, and tries to list pods.
    private const string WorkerScript = """
        export HOME="$WHETSTONE_POD_WORKDIR"
        kubectl -n "$WHETSTONE_JOB_NAMESPACE" patch finetunejobs.whetstone.dev "$WHETSTONE_JOB_NAME" --subresource=status --type=merge \
          -p '{"status":{"progress":{"step":3,"totalSteps":3}}}' || exit 1
        kubectl -n "$WHETSTONE_JOB_NAMESPACE" get pods 2>&1 | sed 's/^/pods: /'
        exit 0
        """;

    private readonly LocalArtifacts _artifacts = new();
    private EmbeddedDefault _cluster = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedDefault.StartAsync(
            Path.Combine(Path.GetTempPath(), $"whetstone-shared-{Guid.NewGuid():N}"),
            WorkerImage,
            new ImageCommand { FileName = "/bin/sh", Args = ["-c", WorkerScript, "worker"] },
            gpuSlots: 1,
            new Dictionary<string, string?>
            {
                ["Whetstone:LeaderElection:Namespace"] = "default",
                ["Whetstone:Workers:PerJobServiceAccounts"] = "false",
                ["Whetstone:Workers:ServiceAccountName"] = Account,
            },
            async server =>
            {
                _client = ClusterFixture.Connect(server);
                await OperatorFixture.ApplyCrdsAsync(_client);
            });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _cluster.DisposeAsync();
        _artifacts.Dispose();
    }

    [Fact]
    public async Task Workers_of_the_shared_account_patch_their_jobs_status_with_their_own_credentials_and_nothing_more()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(_client);
        await _client.RbacAuthorizationV1.CreateClusterRoleAsync(SharedWorkerAccess.ClusterRole(Account));
        await _client.CoreV1.CreateNamespacedServiceAccountAsync(SharedWorkerAccess.ServiceAccount(ns, Account), ns);
        await _client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(SharedWorkerAccess.RoleBinding(ns, Account), ns);
        var job = _artifacts.NewJob("shared", ns);
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs);

        var jobs = new CustomResourceClient<FineTuneJob>(_client);
        FineTuneJob? seen = null;
        await Eventually.TrueAsync(async () =>
        {
            seen = await jobs.GetAsync(ns, "shared", CancellationToken.None);
            return seen?.Status?.Phase is JobPhases.Succeeded or JobPhases.Failed;
        }, "the job finishes", TimeSpan.FromSeconds(90));

        Assert.True(seen!.Status!.Phase == JobPhases.Succeeded, $"{seen.Status.Phase}: {seen.Status.Message}");
        Assert.Equal(3, seen.Status.Progress?.Step);
        var pod = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync(ns)).Items);
        Assert.Equal(Account, pod.Spec.ServiceAccountName);
        using var log = new StreamReader(await _client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, ns));
        Assert.Contains(
            $"pods: Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:{ns}:{Account}\" cannot list resource \"pods\" in API group \"\" in the namespace \"{ns}\"",
            await log.ReadToEndAsync(), StringComparison.Ordinal);
    }
}
