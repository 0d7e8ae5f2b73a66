using System.Collections.Concurrent;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using Whetstone.Operator.Runtime.Informers;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Informers;

public sealed class InformerIntegrationTest(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static Informer<Widget> NewInformer(IKubernetes client, string ns, InformerOptions? options = null) =>
        new(ResourceSources.CustomResources<Widget>(client, ns), NullLogger.Instance, options);

    [Fact]
    public async Task Lists_every_page_then_follows_adds_changes_and_deletes()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        for (var i = 0; i < 10; i++)
        {
            await ClusterFixture.CreateAsync(cluster.Client, Widget.Named($"w{i}", ns));
        }

        var informer = NewInformer(cluster.Client, ns, new InformerOptions { PageSize = 3 });
        var events = new ConcurrentQueue<InformerEvent<Widget>>();
        informer.OnEvent(events.Enqueue);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);
        Assert.Equal(10, informer.List().Count);

        await ClusterFixture.CreateAsync(cluster.Client, Widget.Named("late", ns));
        await cluster.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new k8s.Models.V1Patch("""{"spec":{"size":7}}""", k8s.Models.V1Patch.PatchType.MergePatch), Widget.Group, "v1", ns, "widgets", "w3");
        await cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, "v1", ns, "widgets", "w5");

        await Eventually.TrueAsync(
            () => informer.Get($"{ns}/late") is not null && informer.Get($"{ns}/w5") is null && informer.Get($"{ns}/w3")?.Spec.Size == 7,
            "the cache follows the watch");
        Assert.Contains(events, e => e.Type == ResourceWatchEventType.Deleted && e.Object.Metadata.Name == "w5");
        Assert.Single(events, e => e.Type == ResourceWatchEventType.Added && e.Object.Metadata.Name == "late");

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_watch_that_ends_is_reopened_from_the_last_version_without_losing_or_repeating_events()
    {
        var ns = await ClusterFixture.NewNamespaceAsync(cluster.Client);
        var informer = NewInformer(cluster.Client, ns, new InformerOptions { WatchTimeout = TimeSpan.FromSeconds(1) });
        var added = new ConcurrentDictionary<string, int>();
        informer.OnEvent(e =>
        {
            if (e.Type == ResourceWatchEventType.Added)
            {
                added.AddOrUpdate(e.Object.Metadata.Name, 1, (_, n) => n + 1);
            }
        });
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.Synced.WaitAsync(Eventually.DefaultTimeout);

        for (var i = 0; i < 12; i++)
        {
            await ClusterFixture.CreateAsync(cluster.Client, Widget.Named($"r{i}", ns));
            await Task.Delay(250);
        }

        await Eventually.TrueAsync(() => added.Count == 12, "all twelve objects are seen");
        Assert.True(informer.WatchCount >= 2, $"the watch was renewed (opened {informer.WatchCount} times)");
        Assert.All(added.Values, n => Assert.Equal(1, n));
        Assert.Equal(1, informer.ListCount);

        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_too_old_resource_version_after_a_server_restart_relists_and_reports_what_changed()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-informer-restart-{Guid.NewGuid():N}");
        var port = ClusterFixture.FreePort();
        var server = await ClusterFixture.StartAsync(dataDirectory, port);
        try
        {
            using var client = ClusterFixture.Connect(server);
            await ClusterFixture.InstallWidgetCrdAsync(client);
            await ClusterFixture.CreateAsync(client, Widget.Named("keep"));
            await ClusterFixture.CreateAsync(client, Widget.Named("doomed"));

            var informer = NewInformer(client, "default", new InformerOptions { RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromSeconds(1) });
            var deleted = new ConcurrentBag<string>();
            informer.OnEvent(e =>
            {
                if (e.Type == ResourceWatchEventType.Deleted)
                {
                    deleted.Add(e.Object.Metadata.Name);
                }
            });
            using var stop = new CancellationTokenSource();
            var run = informer.RunAsync(stop.Token);
            await informer.Synced.WaitAsync(Eventually.DefaultTimeout);

            await server.DisposeAsync();
            // While the informer cannot reach its server, the cluster changes through a server on another port; the
            // restarted server keeps no history from before it started, so the informer's resource version is too
            // old: its watch gets 410 Gone, and only a relist can show the change (the delete is reported from it).
            var elsewhere = await ClusterFixture.StartAsync(dataDirectory, ClusterFixture.FreePort());
            using (var other = ClusterFixture.Connect(elsewhere))
            {
                await other.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, "v1", "default", "widgets", "doomed");
                await ClusterFixture.CreateAsync(other, Widget.Named("newcomer"));
            }

            await elsewhere.DisposeAsync();
            Assert.Equal(1, informer.ListCount);
            server = await ClusterFixture.StartAsync(dataDirectory, port);

            await Eventually.TrueAsync(
                () => informer.Get("default/newcomer") is not null && informer.Get("default/doomed") is null && deleted.Contains("doomed"),
                "the informer converges after the restart");
            Assert.NotNull(informer.Get("default/keep"));
            Assert.Equal(2, informer.ListCount);

            await stop.CancelAsync();
            await run;
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
