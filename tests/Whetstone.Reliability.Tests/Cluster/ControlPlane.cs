using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Node;

namespace Whetstone.Reliability.Tests.Cluster;

/// <summary>
/// The embedded default without its operator: the API server with the committed CRDs and the local node, whose worker
/// image runs a one-second shell script that exits 0 (the operator cannot tell it from the real worker; these faults
/// are about the operator). The operators under test run as their own processes against <see cref="KubeconfigPath"/>.
/// Also holds the file:// model, dataset and output the jobs name (their preflight reads them).
/// </summary>
public sealed class ControlPlane : IAsyncLifetime
{
    /// <summary>The worker image the node maps to the script.</summary>
    public const string WorkerImage = "whetstone/worker:reliability";

    /// <summary>
    /// A slower worker image: each attempt runs 3 s, and the first attempt of a job whose name starts with
    /// <see cref="FailingFirstAttemptPrefix"/> then exits 3 (so it is retried); every other attempt exits 0.
    /// </summary>
    public const string SlowWorkerImage = "whetstone/worker:reliability-slow";

    /// <summary>The real worker (<c>dotnet whetstone-worker.dll</c> from this test's output folder).</summary>
    public const string RealWorkerImage = "whetstone/worker:real";

    /// <summary>
    /// One image for jobs and serving together, as the operator has one worker image: <c>serve</c> runs the
    /// <see cref="ServingImage"/>'s readiness server, every other subcommand is a one-second job that exits 0.
    /// </summary>
    public const string CombinedImage = "whetstone/worker:reliability-combined";

    /// <summary>A worker image whose attempt runs for five minutes: only a deadline or a stop ends it.</summary>
    public const string LongWorkerImage = "whetstone/worker:reliability-long";

    /// <summary>
    /// The serving image of ModelRollout tracks: a process that runs until stopped and answers every GET (the
    /// readiness probe) with 200 on the pod's address and the <c>--port</c> it is given. The rollout faults are about
    /// the controller and its analysis, not the inference server.
    /// </summary>
    public const string ServingImage = "whetstone/worker:reliability-serving";

    private const string ReadyServer = """
        import http.server, os, sys
        port = int(sys.argv[sys.argv.index("--port") + 1])
        class Ready(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
            def log_message(self, *args):
                pass
        http.server.HTTPServer((os.environ["WHETSTONE_POD_IP"], port), Ready).serve_forever()
        """;

    /// <summary>
    /// The real worker (<c>dotnet whetstone-worker.dll</c> from this test's output folder), whose first attempt of a
    /// job runs under a 64 KiB file-size limit with SIGXFSZ ignored (its first checkpoint fails with EFBIG); later
    /// attempts run without it. For the disk-full fault through the operator.
    /// </summary>
    public const string FileSizeLimitedWorkerImage = "whetstone/worker:reliability-file-size-limited";

    /// <summary>Jobs named with this prefix fail their first attempt on <see cref="SlowWorkerImage"/>.</summary>
    public const string FailingFirstAttemptPrefix = "retry-";

    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-reliability-").FullName;
    private LocalClusterServer _server = null!;
    private LocalClusterOptions _serverOptions = null!;
    private LocalNode _node = null!;

    /// <summary>The cluster's kubeconfig (the admin credentials).</summary>
    public string KubeconfigPath => _server.KubeconfigPath;

    /// <summary>The API server's address.</summary>
    public Uri ApiServerAddress => _server.BaseAddress;

    /// <summary>The cluster's data directory (its CA certificate and token, which Prometheus scrapes pods with).</summary>
    public string ClusterDirectory => _server.DataDirectory;

    /// <summary>A client with the admin credentials.</summary>
    public IKubernetes Client { get; private set; } = null!;

    private string ModelDirectory => Path.Combine(_root, "models", "tiny");

    private string ReadyServerPath => Path.Combine(_root, "ready.py");

    private string DatasetPath => Path.Combine(_root, "data", "chat.jsonl");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // The API server restarts in-process: no inotify watch on configuration files for hosts started from here (the
        // machine's limit of 128 per user is shared with every other process).
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Directory.CreateDirectory(ModelDirectory);
        File.WriteAllText(Path.Combine(ModelDirectory, "config.json"), """{"model_type": "llama"}""");
        File.WriteAllText(Path.Combine(ModelDirectory, "tokenizer.json"), """{"model": {"type": "BPE"}}""");
        File.WriteAllBytes(Path.Combine(ModelDirectory, "model.safetensors"), Encoding.UTF8.GetBytes("weights"));
        Directory.CreateDirectory(Path.GetDirectoryName(DatasetPath)!);
        File.WriteAllText(DatasetPath, """{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}""" + "\n");

        File.WriteAllText(ReadyServerPath, ReadyServer);
        var clusterDirectory = Path.Combine(_root, "cluster");
        // A fixed port, so the API server can be restarted where every client (kubeconfig) expects it.
        _serverOptions = new LocalClusterOptions { DataDirectory = clusterDirectory, Port = FreePort() };
        _server = await LocalClusterServer.StartAsync(_serverOptions, CancellationToken.None);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_server.KubeconfigPath));
        await ApplyCrdsAsync(Client);
        _node = await LocalNode.StartAsync(
            new LocalNodeOptions
            {
                DataDirectory = clusterDirectory,
                Cpu = "64",
                Memory = "256Gi",
                ResyncInterval = TimeSpan.FromSeconds(1),
                Images = new Dictionary<string, ImageCommand>
                {
                    [WorkerImage] = new() { FileName = "/bin/sh", Args = ["-c", "sleep 1; exit 0", "worker"] },
                    [SlowWorkerImage] = new()
                    {
                        FileName = "/bin/sh",
                        Args = ["-c", $"sleep 3; case \"$WHETSTONE_JOB_NAME:$WHETSTONE_ATTEMPT\" in {FailingFirstAttemptPrefix}*:1) exit 3;; esac; exit 0", "worker"],
                    },
                    [CombinedImage] = new()
                    {
                        FileName = "/bin/sh",
                        Args = ["-c", $"case \"$1\" in serve) exec /usr/bin/python3 {ReadyServerPath} \"$@\";; esac; sleep 1; exit 0", "worker"],
                    },
                    [RealWorkerImage] = new() { FileName = "dotnet", Args = [Path.Combine(AppContext.BaseDirectory, "whetstone-worker.dll")] },
                    [LongWorkerImage] = new() { FileName = "/bin/sh", Args = ["-c", "sleep 300; exit 0", "worker"] },
                    [ServingImage] = new() { FileName = "/usr/bin/python3", Args = ["-c", ReadyServer] },
                    [FileSizeLimitedWorkerImage] = new()
                    {
                        // $0 is the worker's dll, "$@" the container's args (finetune --from-cluster).
                        FileName = "/bin/sh",
                        Args = ["-c", "case \"$WHETSTONE_ATTEMPT\" in 1) trap '' XFSZ; ulimit -f 128;; esac; exec dotnet \"$0\" \"$@\"", Path.Combine(AppContext.BaseDirectory, "whetstone-worker.dll")],
                        Env = new Dictionary<string, string>
                        {
                            // .NET's W^X double mapping sizes a shared-memory file at start-up, which a file-size limit refuses.
                            ["DOTNET_EnableWriteXorExecute"] = "0",
                            ["WHETSTONE_TORCH_THREADS"] = "2",
                        },
                    },
                },
            },
            _server.KubeconfigPath,
            NullLoggerFactory.Instance,
            CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _node.DisposeAsync();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A log file still held by a dying process: the temp folder is cleaned by the OS.
        }
    }

    /// <summary>
    /// Stops the API server (its open watches end with it), leaves it down for <paramref name="down"/>, and starts it
    /// again on the same port and data directory; returns once it answers. The node and the operators are not told.
    /// </summary>
    public async Task RestartApiServerAsync(TimeSpan down)
    {
        await _server.DisposeAsync();
        await Task.Delay(down);
        _server = await LocalClusterServer.StartAsync(_serverOptions, CancellationToken.None);
    }

    /// <summary>A fresh namespace for one test's jobs.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = $"r-{Guid.NewGuid():N}"[..14];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>
    /// Creates a FineTuneJob over the fixture's artifacts; its output goes to its own folder. A
    /// <paramref name="deadlineSeconds"/> sets <c>runPolicy.activeDeadlineSeconds</c>.
    /// </summary>
    public async Task CreateJobAsync(string ns, string name, long? deadlineSeconds = null)
    {
        var output = Path.Combine(_root, "out", ns, name);
        Directory.CreateDirectory(output);
        var job = new FineTuneJob
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new FineTuneJobSpec
            {
                BaseModel = new ModelSource { Uri = new Uri(ModelDirectory + "/").AbsoluteUri },
                Dataset = new FineTuneDataset { Uri = new Uri(DatasetPath).AbsoluteUri, Format = "chat" },
                Output = new OutputLocation { Uri = new Uri(output + "/").AbsoluteUri },
                RunPolicy = new RunPolicy { BackoffLimit = 2, ActiveDeadlineSeconds = deadlineSeconds },
            },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, ns, "finetunejobs");
    }

    /// <summary>
    /// Creates an HTTPRoute <paramref name="name"/> on the embedded gateway matching every path: what a ModelRollout's
    /// <c>trafficRouting.gatewayAPI.httpRoute</c> names and the controller fills with its two backends.
    /// </summary>
    public async Task CreateRouteAsync(string ns, string name)
    {
        var route = new JsonObject
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = "HTTPRoute",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["parentRefs"] = new JsonArray(new JsonObject { ["name"] = "whetstone" }),
                ["rules"] = new JsonArray(new JsonObject { ["matches"] = new JsonArray(new JsonObject { ["path"] = new JsonObject { ["type"] = "PathPrefix", ["value"] = "/" } }) }),
            },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonSerializer.Deserialize<JsonElement>(route.ToJsonString()), "gateway.networking.k8s.io", "v1", ns, "httproutes");
    }

    /// <summary>
    /// Creates a FineTuneJob the real worker can run: LoRA on the committed tiny model with
    /// <paramref name="datasetPath"/>, a checkpoint every 5 steps, output in <paramref name="output"/>; <paramref name="baseModel"/>
    /// replaces the tiny model's folder (for example with a stored copy that goes through the model cache).
    /// </summary>
    public async Task CreateTinyFineTuneJobAsync(string ns, string name, string datasetPath, string output, int backoffLimit, Uri? baseModel = null)
    {
        var job = new FineTuneJob
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new FineTuneJobSpec
            {
                BaseModel = new ModelSource { Uri = baseModel?.AbsoluteUri ?? new Uri(RepositoryRoot.Combine("examples", "models", "tiny-llama") + "/").AbsoluteUri },
                Dataset = new FineTuneDataset { Uri = new Uri(datasetPath).AbsoluteUri, Format = "chat", Split = new DatasetSplit { Train = 0.7, Validation = 0.2, Test = 0.1, Seed = 7 } },
                Method = new FineTuneMethod { Type = "LoRA", Lora = new LoraConfig { Rank = 8, Alpha = 16, Dropout = 0, TargetModules = ["q_proj", "v_proj"] } },
                Hyperparameters = new Hyperparameters { Epochs = 2, BatchSize = 4, LearningRate = 0.005, MaxSequenceLength = 64, Precision = "fp32", Seed = 3 },
                CheckpointEverySteps = 5,
                Resources = new WorkerResources { Gpu = new GpuResources { Count = 0 } },
                Output = new OutputLocation { Uri = new Uri(output + "/").AbsoluteUri },
                RunPolicy = new RunPolicy { BackoffLimit = backoffLimit },
            },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(job, WhetstoneApi.Group, WhetstoneApi.Version, ns, "finetunejobs");
    }

    /// <summary>The phase of every FineTuneJob in <paramref name="ns"/>, by name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> JobPhasesAsync(string ns)
    {
        var list = await Client.CustomObjects.ListNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, "finetunejobs");
        var items = ((System.Text.Json.JsonElement)list).GetProperty("items");
        return items.EnumerateArray().ToDictionary(
            i => i.GetProperty("metadata").GetProperty("name").GetString()!,
            i => i.TryGetProperty("status", out var s) && s.TryGetProperty("phase", out var p) ? p.GetString() ?? "" : "",
            StringComparer.Ordinal);
    }

    /// <summary>Every FineTuneJob in <paramref name="ns"/>, with its status, by name.</summary>
    public async Task<IReadOnlyDictionary<string, FineTuneJob>> ReadJobsAsync(string ns)
    {
        var list = await Client.CustomObjects.ListNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, "finetunejobs");
        return ((System.Text.Json.JsonElement)list).GetProperty("items").EnumerateArray()
            .Select(i => KubernetesJson.Deserialize<FineTuneJob>(i.GetRawText()))
            .ToDictionary(j => j.Metadata.Name, StringComparer.Ordinal);
    }

    /// <summary>How many worker pods exist for each job in <paramref name="ns"/> (by the job label).</summary>
    public async Task<IReadOnlyDictionary<string, int>> WorkerPodsPerJobAsync(string ns)
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync(ns);
        return pods.Items
            .Where(p => p.Metadata.Labels?.ContainsKey(WhetstoneLabels.Job) == true)
            .GroupBy(p => p.Metadata.Labels[WhetstoneLabels.Job], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>The Lease's holder, renew time and transitions, or null while it does not exist.</summary>
    public async Task<V1LeaseSpec?> ReadLeaseAsync(string name)
    {
        try
        {
            return (await Client.CoordinationV1.ReadNamespacedLeaseAsync(name, "default")).Spec;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The fixture's folder: its model, dataset, outputs, and the cluster's data (database, pod logs, scratch).</summary>
    public string RootDirectory => _root;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task ApplyCrdsAsync(IKubernetes client)
    {
        foreach (var file in Directory.GetFiles(RepositoryRoot.Combine("crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }

        await Eventually.TrueAsync(async () =>
        {
            var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
            return crds.Items.Count(c => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true) >= 4;
        }, "the four CRDs are established");
    }
}
