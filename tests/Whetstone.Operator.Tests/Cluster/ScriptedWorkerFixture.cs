using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Workers;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Tests.EndToEnd;
using Whetstone.Operator.Tests.Preflight;

namespace Whetstone.Operator.Tests.Cluster;

/// <summary>
/// The embedded default with the committed CRDs and the built-in kinds, whose worker image maps to a shell script the
/// test steers per job (<c>namespace.name</c>): with a <c>.fail</c> file it writes that termination message and
/// exits 1; otherwise it runs until the test writes a <c>.release</c> file, then exits 0. A test can so hold a worker
/// Running, write status as the worker would, and let it finish. The script records the subcommand it was given.
/// </summary>
public sealed class ScriptedWorkerFixture : IAsyncLifetime
{
    public const string WorkerImage = "whetstone/worker:steered";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private EmbeddedDefault _cluster = null!;

    public IKubernetes Client { get; private set; } = null!;

    /// <summary>The real kubectl against this cluster.</summary>
    public Kubectl Kubectl => new(_cluster.Server.KubeconfigPath);

    /// <summary>Model, dataset and output folders the jobs name by file:// URI (their preflight reads them).</summary>
    internal LocalArtifacts Artifacts { get; } = new();

    private string Steering => Path.Combine(Artifacts.Root, "steering");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Steering);
        var script = $$"""
            key="{{Steering}}/$WHETSTONE_JOB_NAMESPACE.$WHETSTONE_JOB_NAME"
            echo "$1" > "$key.subcommand"
            if [ -e "$key.fail" ]; then cat "$key.fail" > "$WHETSTONE_TERMINATION_MESSAGE_PATH"; exit 1; fi
            trap 'exit 143' TERM
            i=0
            while [ ! -e "$key.release" ]; do
              i=$((i+1)); if [ $i -gt 600 ]; then echo "never released" >&2; exit 3; fi
              sleep 0.2
            done
            exit 0
            """;
        _cluster = await EmbeddedDefault.StartScriptedAsync(
            "steered",
            WorkerImage,
            script,
            async server =>
            {
                Client = ClusterFixture.Connect(server);
                await OperatorFixture.ApplyCrdsAsync(Client);
            });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _cluster.DisposeAsync();
        Artifacts.Dispose();
    }

    /// <summary>The job's worker exits 1 with this termination message.</summary>
    public void FailWorker(string ns, string name, string reason, string message) =>
        File.WriteAllText(Key(ns, name) + ".fail", new WorkerTerminationMessage { Reason = reason, Message = message }.ToJson());

    /// <summary>The job's worker (running or yet to start) exits 0.</summary>
    public void ReleaseWorker(string ns, string name) => File.WriteAllText(Key(ns, name) + ".release", "done");

    /// <summary>The subcommand the job's worker was started with, or null before it started.</summary>
    public string? SubcommandOf(string ns, string name) =>
        File.Exists(Key(ns, name) + ".subcommand") ? File.ReadAllText(Key(ns, name) + ".subcommand").Trim() : null;

    /// <summary>Merge-patches the job's status as the worker does (worker-owned fields only).</summary>
    public Task PatchStatusAsWorkerAsync(string plural, string ns, string name, object status) =>
        Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(KubernetesJson.Serialize(new { status }), V1Patch.PatchType.MergePatch),
            WhetstoneApi.Group, WhetstoneApi.Version, ns, plural, name);

    /// <summary>Creates a Whetstone job of the given plural in <paramref name="ns"/>.</summary>
    public Task CreateAsync<T>(string ns, T job, string plural)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        job.Metadata.NamespaceProperty = ns;
        return Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, ns, plural);
    }

    /// <summary>Waits until the job exists and satisfies <paramref name="condition"/>; the failure names its last phase and message.</summary>
    public async Task<T> WaitAsync<T>(string ns, string name, Func<T, bool> condition, string what)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var jobs = new CustomResourceClient<T>(Client);
        T? job = null;
        await Eventually.TrueAsync(async () =>
        {
            job = await jobs.GetAsync(ns, name, CancellationToken.None);
            return job is not null && condition(job);
        }, $"{ns}/{name} {what} (last seen: {LastSeen(job)})", Patience);
        return job!;
    }

    /// <summary>A condition of a job's status as (status, reason).</summary>
    public static (string Status, string Reason) Condition(IWorkerJobStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type) is { } c ? (c.Status, c.Reason) : ("absent", "");

    private static string LastSeen(object? job) =>
        job is null ? "none" : JsonNode.Parse(KubernetesJson.Serialize(job))?["status"] is { } status ? $"{status["phase"]}: {status["message"]}" : "no status";

    private string Key(string ns, string name) => Path.Combine(Steering, $"{ns}.{name}");
}

/// <summary>The controller tests of CompressionJob and EvaluationRun share one steered cluster.</summary>
[CollectionDefinition(Name)]
public sealed class ScriptedWorkerCollection : ICollectionFixture<ScriptedWorkerFixture>
{
    public const string Name = "steered worker cluster";
}
