using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.EndToEnd;

/// <summary>
/// The embedded default as the README's demo runs it: API server, local node whose worker image is the real built
/// whetstone-worker (one GPU slot, so jobs asking for a GPU queue for it), and the operator host. Tests drive it with
/// the real kubectl.
/// </summary>
public sealed class RealWorkerFixture : IAsyncLifetime
{
    private EmbeddedDefault _cluster = null!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"whetstone-e2e-{Guid.NewGuid():N}");

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
        _cluster = await EmbeddedDefault.StartAsync(
            DataDirectory,
            "whetstone-worker",
            new ImageCommand { FileName = WorkerExecutable },
            gpuSlots: 1,
            new Dictionary<string, string?>(),
            async server =>
            {
                Kubectl = new Kubectl(server.KubeconfigPath);
                await Kubectl.RunOkAsync($"apply -f {RepositoryPaths.Crds}");
                await Kubectl.RunOkAsync("wait --for=condition=Established crd --all --timeout=60s");
            });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();
}
