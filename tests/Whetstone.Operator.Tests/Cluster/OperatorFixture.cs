using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Hosting;

namespace Whetstone.Operator.Tests.Cluster;

/// <summary>
/// The whole embedded default for controller tests: the API server with the committed CRDs, the local node (one GPU
/// slot) and the operator host itself. The worker image maps, through the node's image configuration, to a short
/// shell script that behaves by job name (succeeds, diverges, fails once, runs until stopped): the operator cannot
/// tell it from the real worker, and these tests are about the operator, not the training.
/// </summary>
public sealed class OperatorFixture : IAsyncLifetime
{
    public const string WorkerImage = "whetstone/worker:scripted";

    private const string WorkerScript = """
        case "$WHETSTONE_JOB_NAME" in
          ok-*) sleep 1; exit 0 ;;
          diverge-*) printf '{"reason":"Diverged","message":"loss is NaN at step 7"}' > "$WHETSTONE_TERMINATION_MESSAGE_PATH"; exit 1 ;;
          flaky-*) if [ "$WHETSTONE_ATTEMPT" = 1 ]; then echo "transient failure" >&2; exit 1; fi; exit 0 ;;
          long-*)
            if [ "$WHETSTONE_ATTEMPT" != 1 ]; then echo "resumed from checkpoint"; exit 0; fi
            trap 'echo "checkpoint written"; exit 143' TERM
            while true; do sleep 0.2; done ;;
          gpu-*) sleep 4; exit 0 ;;
          *) echo "unknown scripted job $WHETSTONE_JOB_NAME" >&2; exit 2 ;;
        esac
        """;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-operator-e2e-{Guid.NewGuid():N}");
    private LocalNode? _node;
    private WebApplication? _operator;

    public LocalClusterServer Server { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public Uri OperatorAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = _dataDirectory }, CancellationToken.None);
        Client = ClusterFixture.Connect(Server);
        await ApplyCrdsAsync(Client);
        _node = await LocalNode.StartAsync(
            new LocalNodeOptions
            {
                DataDirectory = _dataDirectory,
                GpuSlots = 1,
                Cpu = "64",
                Memory = "256Gi",
                ResyncInterval = TimeSpan.FromSeconds(1),
                Images = new Dictionary<string, ImageCommand>
                {
                    [WorkerImage] = new ImageCommand { FileName = "/bin/sh", Args = ["-c", WorkerScript, "worker"] },
                },
            },
            Server.KubeconfigPath,
            NullLoggerFactory.Instance,
            CancellationToken.None);

        _operator = OperatorApplication.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Whetstone:Operator:Kubeconfig"] = Server.KubeconfigPath,
            ["Whetstone:Operator:LeaderElection"] = "true",
            ["Whetstone:LeaderElection:Namespace"] = "default",
            ["Whetstone:Workers:Image"] = WorkerImage,
            ["Whetstone:Workers:ArtifactStoreSecretName"] = "",
            ["Whetstone:Workers:TerminationGracePeriodSeconds"] = "5",
            ["Whetstone:Workers:RetryBaseDelay"] = "00:00:01",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("WHETSTONE_TEST_LOGLEVEL") ?? "Warning",
        });
        await _operator.StartAsync();
        var address = _operator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        OperatorAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_operator is not null)
        {
            await _operator.StopAsync();
            await _operator.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static async Task ApplyCrdsAsync(IKubernetes client)
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Crds, "*.yaml").Order(StringComparer.Ordinal))
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
