using k8s;

namespace Whetstone.LocalCluster.Tests.Storage;

/// <summary>A server of a test's own, for tests that restart it; the data directory outlives restarts.</summary>
internal sealed class OwnServer : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "whetstone-lc-own-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalClusterServer Server { get; private set; } = null!;
    public Kubernetes Client { get; private set; } = null!;

    public static async Task<OwnServer> StartAsync(int eventWindow = 20_000, int port = 0)
    {
        var own = new OwnServer();
        await own.StartServerAsync(eventWindow, port);
        return own;
    }

    private async Task StartServerAsync(int eventWindow, int port)
    {
        Server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = _directory, EventWindow = eventWindow, Port = port }, CancellationToken.None);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
    }

    /// <summary>Stops the server and starts a new one on the same data directory and port.</summary>
    public async Task RestartAsync()
    {
        var port = Server.BaseAddress.Port;
        Client.Dispose();
        await Server.DisposeAsync();
        await StartServerAsync(20_000, port);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
