using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Operator.Runtime.Clients;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Runtime.Informers;
using Whetstone.Operator.Runtime.Metrics;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Controllers;

public sealed class ControllerRunnerIntegrationTest(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    // The metrics are disposed with the runner: a meter left alive would be exported by every operator host of this
    // test process (the exporter selects meters by name), beside that host's own.
    private sealed record Running(ControllerRunner<Widget> Runner, CancellationTokenSource Stop, Task Task, OperatorMetrics Metrics) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync();
            await Task;
            await Runner.DisposeAsync();
            Stop.Dispose();
            Metrics.Dispose();
        }
    }

    private Running Start(string ns, WidgetController controller, params IEntityFinalizer<Widget>[] finalizers)
    {
        var informer = new Informer<Widget>(ResourceSources.CustomResources<Widget>(cluster.Client, ns), NullLogger.Instance);
        var metrics = new OperatorMetrics();
        var runner = new ControllerRunner<Widget>(
            informer, controller, finalizers, new CustomResourceClient<Widget>(cluster.Client), metrics, NullLogger.Instance,
            new ControllerOptions { Workers = 2, FailureBaseDelay = TimeSpan.FromMilliseconds(50), FailureMaxDelay = TimeSpan.FromSeconds(1) });
        var stop = new CancellationTokenSource();
        return new Running(runner, stop, runner.RunAsync(stop.Token), metrics);
    }

    private async Task<Widget?> ReadAsync(string ns, string name) =>
        await new CustomResourceClient<Widget>(cluster.Client).GetAsync(ns, name, CancellationToken.None);

    [Fact]
    public async Task Reconcile_writes_status_once_and_an_unchanged_world_makes_no_further_writes()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        var controller = new WidgetController(new CustomResourceClient<Widget>(cluster.Client));
        await using var running = Start(ns, controller);
        await ClusterFixture.CreateAsync(cluster.Client, Widget.Named("a", ns, size: 3));

        await Eventually.TrueAsync(async () => (await ReadAsync(ns, "a"))?.Status?.ObservedSize == 3, "status follows spec");
        var settled = (await ReadAsync(ns, "a"))!.Metadata.ResourceVersion;
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(settled, (await ReadAsync(ns, "a"))!.Metadata.ResourceVersion);
        Assert.Equal(1, controller.StatusWrites["a"]);
    }

    [Fact]
    public async Task A_new_round_of_work_reconciles_every_cached_object_although_nothing_changed()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        var controller = new WidgetController(new CustomResourceClient<Widget>(cluster.Client));
        await using var running = Start(ns, controller);
        await ClusterFixture.CreateAsync(cluster.Client, Widget.Named("kept", ns, size: 1));
        await Eventually.TrueAsync(async () => (await ReadAsync(ns, "kept"))?.Status?.ObservedSize == 1, "first round reconciled");
        await Task.Delay(TimeSpan.FromSeconds(0.5));

        // The round ends as when the lease is lost; the same runner (its informer's cache kept) leads again.
        await running.Stop.CancelAsync();
        await running.Task;
        var before = controller.Reconciles["kept"];
        using var again = new CancellationTokenSource();
        var second = running.Runner.RunAsync(again.Token);

        await Eventually.TrueAsync(() => controller.Reconciles["kept"] > before, "the unchanged object is reconciled in the new round");
        await again.CancelAsync();
        await second;
    }

    [Fact]
    public async Task A_failing_reconcile_is_retried_with_back_off_until_it_succeeds()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        var controller = new WidgetController(new CustomResourceClient<Widget>(cluster.Client)) { FailFirst = 3 };
        await using var running = Start(ns, controller);
        await ClusterFixture.CreateAsync(cluster.Client, Widget.Named("flaky", ns, size: 2));

        await Eventually.TrueAsync(async () => (await ReadAsync(ns, "flaky"))?.Status?.ObservedSize == 2, "the fourth attempt succeeds");
        Assert.True(controller.Reconciles["flaky"] >= 4);
        Assert.Equal(0, running.Runner.Queue.Failures($"{ns}/flaky"));
    }

    [Fact]
    public async Task A_requested_requeue_reconciles_again_without_any_event()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        var controller = new WidgetController(new CustomResourceClient<Widget>(cluster.Client)) { RequeueAfter = TimeSpan.FromMilliseconds(200) };
        await using var running = Start(ns, controller);
        await ClusterFixture.CreateAsync(cluster.Client, Widget.Named("poll", ns));

        await Eventually.TrueAsync(() => controller.Reconciles.GetValueOrDefault("poll") >= 5, "five reconciles from requeues alone");
        Assert.Equal(1, controller.StatusWrites["poll"]);
    }

    [Fact]
    public async Task Finalizer_is_added_on_first_reconcile_and_runs_before_the_object_goes()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        var controller = new WidgetController(new CustomResourceClient<Widget>(cluster.Client));
        var finalizer = new WidgetFinalizer();
        await using var running = Start(ns, controller, finalizer);
        await ClusterFixture.CreateAsync(cluster.Client, Widget.Named("f", ns));

        await Eventually.TrueAsync(async () => (await ReadAsync(ns, "f"))?.Metadata.Finalizers?.Contains(finalizer.Name) == true, "the finalizer is added");
        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, "v1", ns, "widgets", "f");

        await Eventually.TrueAsync(async () => await ReadAsync(ns, "f") is null, "the object is gone once finalized");
        Assert.Contains("f", finalizer.Finalized);
        await Eventually.TrueAsync(() => controller.Deleted.Contains("f"), "DeletedAsync is called");
    }
}
