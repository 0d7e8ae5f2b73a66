using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.LocalCluster;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Runtime.Informers;
using Whetstone.Operator.Runtime.Metrics;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Controllers;

/// <summary>
/// A reconcile that runs again before the watch has brought back the controller's own write must use what that
/// write returned, not the stale cached copy: otherwise it re-sends the same status with an outdated
/// resourceVersion (a 409 Conflict and a retry each time). Counted by a dedicated API server's request counter.
/// </summary>
public sealed class ControllerRunnerOwnWritesIntegrationTest : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-own-writes-{Guid.NewGuid():N}");
    private LocalClusterServer _server = null!;
    private IKubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ClusterFixture.StartAsync(_dataDirectory, 0);
        _client = ClusterFixture.Connect(_server);
        await ClusterFixture.InstallWidgetCrdAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    [Fact]
    public async Task Requeues_before_the_watch_catches_up_reuse_the_written_object_and_write_status_once()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(_client);
        var informer = new Informer<Widget>(new DelayedWatchSource<Widget>(ResourceSources.CustomResources<Widget>(_client, ns), TimeSpan.FromSeconds(1)), NullLogger.Instance);
        var controller = new CopyingWidgetController(new CustomResourceClient<Widget>(_client), TimeSpan.FromMilliseconds(50));
        using var metrics = new OperatorMetrics();
        var runner = new ControllerRunner<Widget>(
            informer, controller, [], new CustomResourceClient<Widget>(_client), metrics, NullLogger.Instance,
            new ControllerOptions { Workers = 1, FailureBaseDelay = TimeSpan.FromMilliseconds(50), FailureMaxDelay = TimeSpan.FromMilliseconds(200) });
        using var stop = new CancellationTokenSource();
        var running = runner.RunAsync(stop.Token);
        try
        {
            await ClusterFixture.CreateAsync(_client, Widget.Named("a", ns, size: 3));

            // Requeued every 50 ms while each watch event takes a second: many reconciles see a cache without the status.
            await Eventually.TrueAsync(() => controller.Reconciles.GetValueOrDefault("a") >= 8, "the widget is reconciled repeatedly", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            await runner.DisposeAsync();
        }

        var statusUpdates = _server.Requests.Snapshot().Where(r => r.Key is { Verb: "update", Resource: "widgets.test.whetstone.dev/status" }).Sum(r => r.Value);
        Assert.Equal(1, statusUpdates);
        Assert.Equal(1, controller.StatusWrites["a"]);
    }
}
