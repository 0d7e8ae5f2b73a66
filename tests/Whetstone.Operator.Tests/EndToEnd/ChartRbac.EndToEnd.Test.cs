using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Chart.Tests.Rendering;
using Whetstone.LocalCluster;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Tests.Preflight;

namespace Whetstone.Operator.Tests.EndToEnd;

/// <summary>
/// The chart's operator RBAC against the API calls the operator really makes: jobs that succeed and expire (TTL), fail
/// once and retry, and get deleted while running (finalizer), on the embedded default, whose API server counts every
/// request by client. Every call must be granted, and every granted verb must have been used, except the few listed
/// with the reason the operator must hold them without calling them here.
/// </summary>
public sealed class ChartRbacEndToEndTest(OperatorFixture cluster) : IClassFixture<OperatorFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // The kinds with a controller: each runs a job that succeeds and expires in the scenario below.
    private static readonly string[] WorkerJobPlurals = [Plurals.FineTuneJobs, Plurals.CompressionJobs, Plurals.EvaluationRuns];

    // (verb, resource) the operator holds without calling it in this scenario, and why.
    private static readonly Dictionary<(string Verb, string Resource), string> HeldNotCalled = new Dictionary<(string Verb, string Resource), string>
    {
        [("get", "pods")] = "reads the newest worker pod when the informer has not seen it yet (WorkerPodCache); timing-dependent",
        [("get", "secrets")] = "the embedded default passes the artifact store settings by environment; a cluster install reads the Secret (Preflight tests)",
        [("patch", "events")] = "a repeated event is patched (count, lastTimestamp); this scenario repeats none",
        [("get", "serviceaccounts")] = "read only when creating a job's worker account answers 409, to refuse adopting one the operator did not create",
        [("get", "roles.rbac.authorization.k8s.io")] = "read only when creating a job's worker Role answers 409 (not adopted unless the job owns it)",
        [("get", "rolebindings.rbac.authorization.k8s.io")] = "read only when creating a job's worker RoleBinding answers 409 (not adopted unless the job owns it)",
        [("get", "modelrollouts.whetstone.dev")] = "reads a rollout fresh before a write; this scenario runs no rollout",
        [("patch", "modelrollouts.whetstone.dev")] = "consumes the promote/abort/retry annotations; this scenario runs no rollout (ModelRolloutController tests)",
        [("get", "modelrollouts.whetstone.dev/status")] = "granted with the other kinds' status; a rollout has no worker to grant it to",
        [("update", "modelrollouts.whetstone.dev/status")] = "writes a rollout's status; this scenario runs no rollout",
        [("patch", "modelrollouts.whetstone.dev/status")] = "granted with the other kinds' status; a rollout has no worker to grant it to",
        [("update", "modelrollouts.whetstone.dev/finalizers")] = "checked, not called: setting blockOwnerDeletion on a rollout's Deployments and Services",
        [("delete", "modelrollouts.whetstone.dev")] = "granted with the other kinds (TTL of jobs); a rollout is never deleted by the operator",
        [("get", "deployments.apps")] = "reads a rollout's track Deployments; this scenario runs no rollout",
        [("create", "deployments.apps")] = "creates a rollout's track Deployments; this scenario runs no rollout",
        [("patch", "deployments.apps")] = "changes a track's replicas or model; this scenario runs no rollout",
        [("get", "services")] = "reads a rollout's track Services; this scenario runs no rollout",
        [("create", "services")] = "creates a rollout's track Services; this scenario runs no rollout",
        [("get", "httproutes.gateway.networking.k8s.io")] = "reads the HTTPRoute a rollout names; this scenario runs no rollout",
        [("patch", "httproutes.gateway.networking.k8s.io")] = "sets the HTTPRoute's backendRef weights; this scenario runs no rollout",
    }.Concat(WorkerJobPlurals.SelectMany(plural => new[]
    {
        KeyValuePair.Create(("get", $"{plural}.whetstone.dev"), "reads a job another job references (ReferenceResolver), and is granted to each job's worker Role"),
        KeyValuePair.Create(("get", $"{plural}.whetstone.dev/status"), "granted to each job's worker Role; RBAC lets the operator grant only what it holds"),
        KeyValuePair.Create(("patch", $"{plural}.whetstone.dev/status"), "granted to each job's worker Role; RBAC lets the operator grant only what it holds"),
        KeyValuePair.Create(("update", $"{plural}.whetstone.dev/finalizers"), "checked, not called: setting blockOwnerDeletion on owned pods needs it where OwnerReferencesPermissionEnforcement is on"),
    })).ToDictionary();

    private readonly LocalArtifacts _artifacts = new();

    public void Dispose() => _artifacts.Dispose();

    [Fact]
    public async Task The_operator_calls_only_what_the_chart_grants_and_the_chart_grants_nothing_it_never_calls()
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Server.KubeconfigPath), new UserAgentHandler("chart-rbac-test"));
        var ns = $"t-{Guid.NewGuid():N}"[..14];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await CreateAsync(client, _artifacts.NewJob("ok-rbac", ns, ttlSecondsAfterFinished: 0));
        await CreateAsync(client, _artifacts.NewJob("flaky-rbac", ns));
        await CreateAsync(client, _artifacts.NewJob("long-rbac", ns));
        await CreateAsync(client, CompressionJob("ok-rbac-cpj", ns), Plurals.CompressionJobs);
        await CreateAsync(client, EvaluationRun("ok-rbac-evr", ns), Plurals.EvaluationRuns);
        await WaitAsync(client, ns, "flaky-rbac", j => j?.Status?.Phase == JobPhases.Succeeded, "succeeds after a retry");
        await WaitAsync(client, ns, "ok-rbac", j => j is null, "expires after its TTL");
        await WaitGoneAsync<CompressionJob>(client, ns, "ok-rbac-cpj");
        await WaitGoneAsync<EvaluationRun>(client, ns, "ok-rbac-evr");
        await WaitAsync(client, ns, "long-rbac", j => j?.Status?.Phase == JobPhases.Running, "runs");
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.FineTuneJobs, "long-rbac");
        await WaitAsync(client, ns, "long-rbac", j => j is null, "is deleted once its worker stopped");

        var called = cluster.Server.Requests.Snapshot().Keys
            .Where(k => k.Agent == "kubernetes-csharp" && !k.Resource.StartsWith("customresourcedefinitions", StringComparison.Ordinal))
            .Select(k => (k.Verb, k.Resource)).ToHashSet();
        var granted = await GrantedAsync();

        Assert.All(called, c => Assert.True(granted.Contains(c), $"the operator called {c.Verb} {c.Resource}, which the chart does not grant"));
        var unused = granted.Except(called).Where(g => !HeldNotCalled.ContainsKey(g)).ToList();
        Assert.True(unused.Count == 0, $"the chart grants what the operator never called: {string.Join(", ", unused)}");
        Assert.All(HeldNotCalled.Keys, h => Assert.Contains(h, granted));
    }

    // The default install's operator rules (ClusterRole and leader-election Role), as (verb, resource) pairs named as the
    // API server counts them; ModelRollout's rules are held-not-called here (its controller tests exercise them).
    private static async Task<HashSet<(string, string)>> GrantedAsync()
    {
        var chart = await ChartRenderer.RenderAsync();
        var roles = new[] { chart.Single("ClusterRole", "whetstone-operator"), chart.Single("Role", "whetstone-operator-leader-election") };
        var granted = new HashSet<(string, string)>();
        foreach (var rule in roles.SelectMany(r => r.Json["rules"]!.AsArray()))
        {
            foreach (var group in rule!["apiGroups"]!.AsArray().Select(g => (string)g!))
            {
                foreach (var resource in rule["resources"]!.AsArray().Select(r => (string)r!))
                {
                    var slash = resource.IndexOf('/', StringComparison.Ordinal);
                    var name = slash < 0 ? resource : resource[..slash];
                    var qualified = (group.Length == 0 ? name : $"{name}.{group}") + (slash < 0 ? string.Empty : resource[slash..]);
                    foreach (var verb in rule["verbs"]!.AsArray().Select(v => (string)v!))
                    {
                        granted.Add((verb, qualified));
                    }
                }
            }
        }

        return granted;
    }

    private static Task CreateAsync<T>(IKubernetes client, T job, string plural = Plurals.FineTuneJobs)
        where T : IKubernetesObject<V1ObjectMeta> =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, job.Metadata.NamespaceProperty, plural);

    // The scripted worker succeeds for any "ok-" job, whatever its subcommand; a TTL of 0 deletes the job once done.
    private CompressionJob CompressionJob(string name, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new CompressionJobSpec
        {
            SourceModel = new ModelSource { Uri = _artifacts.ModelUri },
            Steps = [new CompressionStep { Quantize = new QuantizeStep { Type = QuantizationTypes.Int8 } }],
            EvaluationDataset = new DatasetSource { Uri = _artifacts.DatasetUri },
            Output = new OutputLocation { Uri = _artifacts.OutputUri },
            RunPolicy = new RunPolicy { TtlSecondsAfterFinished = 0 },
        },
    };

    private EvaluationRun EvaluationRun(string name, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new EvaluationRunSpec
        {
            Model = new EvaluationModel { Uri = _artifacts.ModelUri },
            Suites = [new EvaluationSuite { Name = "domain", Type = SuiteTypes.MultipleChoice, Dataset = new DatasetSource { Uri = _artifacts.DatasetUri } }],
            Output = new OutputLocation { Uri = _artifacts.OutputUri },
            RunPolicy = new RunPolicy { TtlSecondsAfterFinished = 0 },
        },
    };

    private static async Task WaitGoneAsync<T>(IKubernetes client, string ns, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var jobs = new CustomResourceClient<T>(client);
        await Eventually.TrueAsync(async () => await jobs.GetAsync(ns, name, CancellationToken.None) is null, $"{name} succeeds and expires after its TTL", Patience);
    }

    private static async Task WaitAsync(IKubernetes client, string ns, string name, Func<FineTuneJob?, bool> condition, string what)
    {
        var jobs = new CustomResourceClient<FineTuneJob>(client);
        await Eventually.TrueAsync(async () => condition(await jobs.GetAsync(ns, name, CancellationToken.None)), $"{name} {what}", Patience);
    }
}
