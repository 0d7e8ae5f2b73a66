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
/// The embedded default for tests, as <c>whetstone up</c> composes it: the API server, the local node (with the
/// given worker image mapping) and the operator host, started in that order and stopped in reverse.
/// </summary>
public sealed class EmbeddedDefault : IAsyncDisposable
{
    private readonly LocalNode _node;
    private readonly WebApplication _operator;

    private EmbeddedDefault(string dataDirectory, LocalClusterServer server, LocalNode node, WebApplication host, Uri operatorAddress)
    {
        DataDirectory = dataDirectory;
        Server = server;
        _node = node;
        _operator = host;
        OperatorAddress = operatorAddress;
    }

    public string DataDirectory { get; }

    public LocalClusterServer Server { get; }

    public Uri OperatorAddress { get; }

    /// <summary>
    /// Starts everything; <paramref name="beforeOperator"/> runs once the API server is up (install CRDs there), and
    /// <paramref name="configureKinds"/> registers further kinds in the operator host.
    /// </summary>
    public static async Task<EmbeddedDefault> StartAsync(
        string dataDirectory, string workerImage, ImageCommand worker, int gpuSlots, IDictionary<string, string?> operatorSettings, Func<LocalClusterServer, Task> beforeOperator,
        Action<IServiceCollection>? configureKinds = null)
    {
        var clusterDirectory = Path.Combine(dataDirectory, "cluster");
        var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = clusterDirectory }, CancellationToken.None);
        await beforeOperator(server);
        var node = await LocalNode.StartAsync(
            new LocalNodeOptions
            {
                DataDirectory = clusterDirectory,
                GpuSlots = gpuSlots,
                Cpu = "64",
                Memory = "256Gi",
                ResyncInterval = TimeSpan.FromSeconds(1),
                Images = new Dictionary<string, ImageCommand> { [workerImage] = worker },
            },
            server.KubeconfigPath,
            NullLoggerFactory.Instance,
            CancellationToken.None);
        var settings = new Dictionary<string, string?>(operatorSettings)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Whetstone:Operator:Kubeconfig"] = server.KubeconfigPath,
            ["Whetstone:Workers:Image"] = workerImage,
            ["Whetstone:Workers:ArtifactStoreSecretName"] = "",
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("WHETSTONE_TEST_LOGLEVEL") ?? "Warning",
        };
        var host = OperatorApplication.Build([], settings, configureKinds);
        await host.StartAsync();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmbeddedDefault(dataDirectory, server, node, host, new Uri(address));
    }

    /// <summary>
    /// Starts the embedded default whose worker image runs <paramref name="script"/> with <c>/bin/sh</c> (the subcommand
    /// and its arguments follow as <c>$1…</c>), one GPU slot, and the operator settings the controller tests share:
    /// leader election in <c>default</c>, a 5 s termination grace period, retries after 1 s.
    /// </summary>
    public static Task<EmbeddedDefault> StartScriptedAsync(
        string name, string workerImage, string script, Func<LocalClusterServer, Task> beforeOperator, Action<IServiceCollection>? configureKinds = null) =>
        StartAsync(
            Path.Combine(Path.GetTempPath(), $"whetstone-{name}-{Guid.NewGuid():N}"),
            workerImage,
            new ImageCommand { FileName = "/bin/sh", Args = ["-c", script, "worker"] },
            gpuSlots: 1,
            new Dictionary<string, string?>
            {
                ["Whetstone:LeaderElection:Namespace"] = "default",
                ["Whetstone:Workers:TerminationGracePeriodSeconds"] = "5",
                ["Whetstone:Workers:RetryBaseDelay"] = "00:00:01",
            },
            beforeOperator,
            configureKinds);

    public async ValueTask DisposeAsync()
    {
        await _operator.StopAsync();
        await _operator.DisposeAsync();
        await _node.DisposeAsync();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still held by a dying process: the temp folder is cleaned by the OS.
        }
    }
}
