using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.LocalCluster.Node;

namespace Whetstone.LocalCluster.Tests.Node;

/// <summary>Stops and starts the node on the same data directory, as a second <c>whetstone up</c> does.</summary>
public sealed class LocalNodeRestartIntegrationTest : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("whetstone-node-restart-").FullName;
    private LocalClusterServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = _dataDirectory }, CancellationToken.None);
        _client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_server.KubeconfigPath));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task<LocalNode> StartNodeAsync() =>
        LocalNode.StartAsync(LocalNodeClusterFixture.NodeOptions(_dataDirectory), _server.KubeconfigPath, NullLoggerFactory.Instance, CancellationToken.None);

    private static V1Pod LongRunning(string name, string restartPolicy) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["/bin/sh", "-c", "echo up; sleep 300"] }],
        },
    };

    private async Task<V1Pod> WaitAsync(string name, Func<V1Pod, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var pod = await _client.CoreV1.ReadNamespacedPodAsync(name, "default");
            if (condition(pod))
            {
                return pod;
            }

            Assert.True(DateTime.UtcNow < deadline, $"pod {name} never reached the expected state: {KubernetesJson.Serialize(pod.Status)}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task After_a_node_restart_lost_containers_fail_under_Never_and_restart_under_Always()
    {
        var node = await StartNodeAsync();
        await _client.CoreV1.CreateNamespacedPodAsync(LongRunning("once", "Never"), "default");
        await _client.CoreV1.CreateNamespacedPodAsync(LongRunning("service", "Always"), "default");
        await WaitAsync("once", p => p.Status?.Phase == "Running");
        await WaitAsync("service", p => p.Status?.Phase == "Running");
        await node.DisposeAsync();

        await using var restarted = await StartNodeAsync();

        var once = await WaitAsync("once", p => p.Status?.Phase == "Failed");
        var lost = once.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal("ContainerStatusUnknown", lost.Reason);
        Assert.Equal(137, lost.ExitCode);
        var service = await WaitAsync("service", p => p.Status?.Phase == "Running" && p.Status.ContainerStatuses.Single().RestartCount == 1);
        Assert.Equal("ContainerStatusUnknown", service.Status.ContainerStatuses.Single().LastState.Terminated.Reason);
    }
}
