using System.Diagnostics.Metrics;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Hosting;
using Whetstone.Operator.Runtime.Informers;
using Whetstone.Operator.Runtime.Metrics;
using Whetstone.Operator.Tests.Cluster;
using Whetstone.Operator.Tests.Preflight;

namespace Whetstone.Operator.Tests.FineTuning;

/// <summary>
/// An embedded cluster whose FineTuneJobs have all settled (Succeeded, Failed, waiting out a retry back-off, or
/// Running), for checking that reconciling a world that does not change writes nothing. The API server counts
/// requests by User-Agent: the tests and the node send their own, so every other request is the operator's. The
/// operator runs in-process and can be restarted; its reconciles are counted from its own meter.
/// </summary>
public sealed class SteadyStateCluster : IAsyncLifetime
{
    public const string TestAgent = "whetstone-tests";
    public const string NodeAgent = "whetstone-node";

    private const string WorkerImage = "whetstone/worker:steady";

    private const string WorkerScript = """
        case "$WHETSTONE_JOB_NAME" in
          ok-*) exit 0 ;;
          diverge-*) printf '{"reason":"Diverged","message":"loss is NaN at step 3"}' > "$WHETSTONE_TERMINATION_MESSAGE_PATH"; exit 1 ;;
          backoff-*) echo "transient failure" >&2; exit 1 ;;
          long-*) trap 'exit 143' TERM; while true; do sleep 0.2; done ;;
          *) exit 2 ;;
        esac
        """;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-steady-{Guid.NewGuid():N}");
    private readonly LocalArtifacts _artifacts = new();
    private LocalNode _node = null!;
    private WebApplication? _operator;
    private MeterListener? _reconcileListener;
    private long _reconciles;

    public LocalClusterServer Server { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public string Namespace { get; } = "steady";

    /// <summary>The jobs and the phase each settles in.</summary>
    public IReadOnlyDictionary<string, string> Jobs { get; } = BuildJobList();

    /// <summary>Reconciles the running operator has finished since it started.</summary>
    public long Reconciles => Interlocked.Read(ref _reconciles);

    public async Task InitializeAsync()
    {
        var clusterDirectory = Path.Combine(_dataDirectory, "cluster");
        Server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = clusterDirectory }, CancellationToken.None);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath), new UserAgentHandler(TestAgent));
        await OperatorFixture.ApplyCrdsAsync(Client);
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        _node = await LocalNode.StartAsync(
            new LocalNodeOptions
            {
                DataDirectory = clusterDirectory,
                GpuSlots = 0,
                Cpu = "64",
                Memory = "256Gi",
                ResyncInterval = TimeSpan.FromSeconds(1),
                Images = new Dictionary<string, ImageCommand> { [WorkerImage] = new() { FileName = "/bin/sh", Args = ["-c", WorkerScript, "worker"] } },
            },
            Server.KubeconfigPath,
            NullLoggerFactory.Instance,
            CancellationToken.None);
        await StartOperatorAsync();

        foreach (var name in Jobs.Keys)
        {
            await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Job(name), WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.FineTuneJobs);
        }

        await Eventually.TrueAsync(async () =>
        {
            var jobs = await ListJobsAsync();
            return jobs.Count == Jobs.Count && jobs.All(j => j.Status?.Phase == Jobs[j.Metadata.Name] && Settled(j));
        }, "every job reaches its steady phase", TimeSpan.FromSeconds(120));
        await WaitUntilOperatorQuietAsync();
    }

    public async Task DisposeAsync()
    {
        await StopOperatorAsync();
        await _node.DisposeAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        _artifacts.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still held by a dying process: the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Stops the operator and starts a new one, which lists (and so reconciles) every job afresh.</summary>
    public async Task RestartOperatorAsync()
    {
        await StopOperatorAsync();
        await StartOperatorAsync();
    }

    /// <summary>Writes (create, update, patch, delete) made by the operator since the server started, by kind.</summary>
    public IReadOnlyDictionary<ApiRequestKind, long> OperatorWrites() =>
        Server.Requests.Snapshot()
            .Where(r => r.Key.IsWrite && r.Key.Agent is not (TestAgent or NodeAgent))
            .ToDictionary(r => r.Key, r => r.Value);

    public async Task<IList<FineTuneJob>> ListJobsAsync()
    {
        var list = (JsonElement)await Client.CustomObjects.ListNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, Namespace, Plurals.FineTuneJobs);
        return KubernetesJson.Deserialize<CustomResourceList<FineTuneJob>>(list.GetRawText()).Items ?? [];
    }

    /// <summary>Waits until the operator has made no write for a few seconds (its last event follows its last status write).</summary>
    public async Task WaitUntilOperatorQuietAsync()
    {
        var last = Total(OperatorWrites());
        var quietSince = DateTime.UtcNow;
        await Eventually.TrueAsync(() =>
        {
            var now = Total(OperatorWrites());
            if (now != last)
            {
                (last, quietSince) = (now, DateTime.UtcNow);
            }

            return DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(3);
        }, "the operator stops writing", TimeSpan.FromSeconds(60));
    }

    public static long Total(IReadOnlyDictionary<ApiRequestKind, long> counts) => counts.Values.Sum();

    private static bool Settled(FineTuneJob job) => job.Status?.Phase switch
    {
        JobPhases.Pending => job.Status.Attempts == 1 && job.Status.Message?.Contains("failed", StringComparison.Ordinal) == true,
        _ => true,
    };

    private static Dictionary<string, string> BuildJobList()
    {
        var jobs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var i in Enumerable.Range(1, 14))
        {
            jobs[$"ok-{i}"] = JobPhases.Succeeded;
        }

        foreach (var i in Enumerable.Range(1, 6))
        {
            jobs[$"diverge-{i}"] = JobPhases.Failed;
        }

        foreach (var i in Enumerable.Range(1, 3))
        {
            jobs[$"backoff-{i}"] = JobPhases.Pending;
        }

        foreach (var i in Enumerable.Range(1, 2))
        {
            jobs[$"long-{i}"] = JobPhases.Running;
        }

        return jobs;
    }

    private FineTuneJob Job(string name) => new()
    {
        ApiVersion = $"{WhetstoneApi.Group}/{WhetstoneApi.Version}",
        Kind = Kinds.FineTuneJob,
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new FineTuneJobSpec
        {
            BaseModel = new ModelSource { Uri = _artifacts.ModelUri },
            Dataset = new FineTuneDataset { Uri = _artifacts.DatasetUri, Format = "chat" },
            Output = new OutputLocation { Uri = _artifacts.OutputUri },
            RunPolicy = new RunPolicy { BackoffLimit = 2 },
        },
    };

    private async Task StartOperatorAsync()
    {
        var host = OperatorApplication.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Whetstone:Operator:Kubeconfig"] = Server.KubeconfigPath,
            ["Whetstone:Operator:LeaderElection"] = "false",
            ["Whetstone:Workers:Image"] = WorkerImage,
            ["Whetstone:Workers:ArtifactStoreSecretName"] = "",
            ["Whetstone:Workers:TerminationGracePeriodSeconds"] = "1",
            // Long enough that the failed jobs are still waiting when the tests look.
            ["Whetstone:Workers:RetryBaseDelay"] = "01:00:00",
            ["Whetstone:Workers:RetryMaxDelay"] = "02:00:00",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("WHETSTONE_TEST_LOGLEVEL") ?? "Warning",
        });

        // Count this host's reconciles from its own meter (other tests run operators in this process too).
        Interlocked.Exchange(ref _reconciles, 0);
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OperatorMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "whetstone.reconciles")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _reconciles, value));
        listener.Start();
        _reconcileListener = listener;
        await host.StartAsync();
        _operator = host;
    }

    private async Task StopOperatorAsync()
    {
        if (_operator is { } host)
        {
            await host.StopAsync();
            await host.DisposeAsync();
            _operator = null;
        }

        _reconcileListener?.Dispose();
        _reconcileListener = null;
    }
}
