using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster.Node;

namespace Whetstone.LocalCluster.Tests.Node;

/// <summary>
/// The real embedded API server plus a local node with one GPU slot, in a throwaway data directory, shared by
/// the node integration tests. Image <c>busybox</c> maps to <c>/bin/sh</c>, <c>whetstone-worker</c> to the built worker.
/// </summary>
public sealed class LocalNodeClusterFixture : IAsyncLifetime
{
    private LocalClusterServer? _server;
    private LocalNode? _node;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("whetstone-node-it-").FullName;

    public LocalClusterServer Server => _server ?? throw new InvalidOperationException("fixture not started");

    public Kubernetes Client { get; private set; } = null!;

    /// <summary>The node's log for this run (kept after the run, for reading failures).</summary>
    public static string LogFile { get; } = Path.Combine(Path.GetTempPath(), $"whetstone-node-it-{Environment.ProcessId}.log");

    public ILoggerFactory Loggers { get; } = LoggerFactory.Create(builder =>
        builder.AddProvider(new FileLoggerProvider(LogFile)).SetMinimumLevel(LogLevel.Debug));

    public static LocalNodeOptions NodeOptions(string dataDirectory) => new()
    {
        NodeName = "local",
        DataDirectory = dataDirectory,
        Cpu = "4",
        Memory = "8Gi",
        GpuSlots = 1,
        Labels = new() { ["nvidia.com/gpu.product"] = "Test-GPU" },
        Images = new()
        {
            ["busybox"] = new ImageCommand { FileName = "/bin/sh", DefaultArgs = ["-c", "echo default"] },
            [ServingWorker.Image] = new ImageCommand { FileName = ServingWorker.Executable ?? "whetstone-worker-not-built" },
        },
        HeartbeatInterval = TimeSpan.FromSeconds(2),
        ResyncInterval = TimeSpan.FromSeconds(2),
    };

    public async Task InitializeAsync()
    {
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = DataDirectory }, CancellationToken.None);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_server.KubeconfigPath));
        _node = await LocalNode.StartAsync(NodeOptions(DataDirectory), _server.KubeconfigPath, Loggers, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Loggers.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A fresh namespace per test, as each integration test runs in its own.</summary>
    public async Task<string> CreateNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    /// <summary>Polls the Pod until <paramref name="condition"/> holds; fails with the last status seen.</summary>
    public async Task<V1Pod> WaitForPodAsync(string ns, string name, Func<V1Pod, bool> condition, int timeoutSeconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        V1Pod? pod = null;
        while (DateTime.UtcNow < deadline)
        {
            pod = await Client.CoreV1.ReadNamespacedPodAsync(name, ns);
            if (condition(pod))
            {
                return pod;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"pod {ns}/{name} never reached the expected state; last status: {KubernetesJson.Serialize(pod?.Status)}");
    }

    /// <summary>Runs the real kubectl against the server; returns stdout, failing on a non-zero exit.</summary>
    public async Task<string> KubectlAsync(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(Server.KubeconfigPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Longer than the longest --timeout the tests give kubectl itself (rollout status: 120 s), so kubectl's own
        // message, not this limit, says what it was waiting for.
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(180));
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within 180 s: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }
}
