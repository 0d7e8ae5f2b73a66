using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Hosting;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.EndToEnd;

/// <summary>
/// The embedded default as the README's demo runs it: API server, local node whose worker image is the real built
/// whetstone-worker, and the operator host. Tests drive it with the real kubectl.
/// </summary>
public sealed class RealWorkerFixture : IAsyncLifetime
{
    private LocalNode? _node;
    private WebApplication? _operator;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"whetstone-e2e-{Guid.NewGuid():N}");

    public LocalClusterServer Server { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public static string WorkerExecutable
    {
        get
        {
            foreach (var configuration in new[] { "Debug", "Release" })
            {
                var path = Path.Combine(RepositoryPaths.Root, "worker", "Whetstone.Worker", "bin", configuration, "net10.0", "whetstone-worker");
                if (File.Exists(path))
                {
                    return path;
                }
            }

            throw new InvalidOperationException("whetstone-worker is not built: run `dotnet build Operator.sln` (./test.sh does)");
        }
    }

    public async Task InitializeAsync()
    {
        Server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = Path.Combine(DataDirectory, "cluster") }, CancellationToken.None);
        Kubectl = new Kubectl(Server.KubeconfigPath);
        _node = await LocalNode.StartAsync(
            new LocalNodeOptions
            {
                DataDirectory = Path.Combine(DataDirectory, "cluster"),
                Cpu = "64",
                Memory = "256Gi",
                ResyncInterval = TimeSpan.FromSeconds(1),
                Images = new Dictionary<string, ImageCommand> { ["whetstone-worker"] = new ImageCommand { FileName = WorkerExecutable } },
            },
            Server.KubeconfigPath,
            NullLoggerFactory.Instance,
            CancellationToken.None);
        _operator = OperatorApplication.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Whetstone:Operator:Kubeconfig"] = Server.KubeconfigPath,
            ["Whetstone:Workers:Image"] = "whetstone-worker",
            ["Whetstone:Workers:ArtifactStoreSecretName"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await _operator.StartAsync();
        await Kubectl.RunOkAsync($"apply -f {RepositoryPaths.Crds}");
        await Kubectl.RunOkAsync("wait --for=condition=Established crd --all --timeout=60s");
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

        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
