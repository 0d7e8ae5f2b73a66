using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Storage;

/// <summary>Watches resume from a resourceVersion without losing or repeating events, even across a restart.</summary>
public sealed class WatchSemanticsTest
{
    private static V1ConfigMap Map(string name, string value) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["v"] = value } };

    private static async Task<List<(WatchEventType Type, V1ConfigMap Object)>> CollectAsync(Kubernetes client, string rv, int count, bool bookmarks = false)
    {
        var events = new List<(WatchEventType, V1ConfigMap)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: rv, allowWatchBookmarks: bookmarks, cancellationToken: cts.Token))
        {
            events.Add((type, item));
            if (events.Count == count)
            {
                break;
            }
        }
        return events;
    }

    [Fact]
    public async Task Reconnecting_from_the_last_seen_resourceVersion_loses_and_repeats_nothing()
    {
        await using var own = await OwnServer.StartAsync();
        var client = own.Client;
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        for (var i = 0; i < 10; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(Map($"m{i}", "0"), "default");
        }
        var first = await CollectAsync(client, start, 4);
        var resumeFrom = first[^1].Object.Metadata.ResourceVersion;
        for (var i = 0; i < 5; i++)
        {
            await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"v":"1"}}""", V1Patch.PatchType.MergePatch), $"m{i}", "default");
        }
        await client.CoreV1.DeleteNamespacedConfigMapAsync("m9", "default");
        var second = await CollectAsync(client, resumeFrom, 12);
        var all = first.Concat(second).ToList();
        Assert.Equal(16, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Object.Metadata.ResourceVersion).Distinct().Count());
        var versions = all.Select(e => long.Parse(e.Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(10, all.Count(e => e.Type == WatchEventType.Added));
        Assert.Equal(5, all.Count(e => e.Type == WatchEventType.Modified));
        Assert.Equal(WatchEventType.Deleted, all[^1].Type);
    }

    [Fact]
    public async Task Watching_from_a_resourceVersion_older_than_the_event_log_gets_410_Expired()
    {
        await using var own = await OwnServer.StartAsync(eventWindow: 5);
        var client = own.Client;
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        for (var i = 0; i < 10; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(Map($"m{i}", "0"), "default");
        }
        var events = await CollectAsync(client, start, 1);
        Assert.DoesNotContain(events, e => e.Type is WatchEventType.Added or WatchEventType.Modified);

        // On the wire: an ERROR event carrying a 410 Expired Status, as kube-apiserver sends it.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(own.Server.BaseAddress, $"api/v1/namespaces/default/configmaps?watch=true&resourceVersion={start}"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(own.Server.DataDirectory, "token")).Trim());
        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = System.Text.Json.JsonDocument.Parse((await reader.ReadLineAsync())!).RootElement;
        Assert.Equal("ERROR", line.GetProperty("type").GetString());
        Assert.Equal(410, line.GetProperty("object").GetProperty("code").GetInt32());
        Assert.Equal("Expired", line.GetProperty("object").GetProperty("reason").GetString());
        Assert.Contains("too old resource version", line.GetProperty("object").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_watch_resumes_after_a_server_restart_from_its_last_resourceVersion()
    {
        await using var own = await OwnServer.StartAsync();
        var start = (await own.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        await own.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("before", "0"), "default");
        var seen = await CollectAsync(own.Client, start, 1);
        var last = seen[^1].Object.Metadata.ResourceVersion;

        await own.RestartAsync();
        await own.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("after", "0"), "default");
        var resumed = await CollectAsync(own.Client, last, 1);
        Assert.Equal("after", resumed[0].Object.Metadata.Name);
        Assert.True(long.Parse(resumed[0].Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Idle_watches_with_bookmarks_allowed_receive_bookmarks()
    {
        var directory = Path.Combine(Path.GetTempPath(), "whetstone-lc-bm-" + Guid.NewGuid().ToString("N")[..8]);
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = directory, BookmarkInterval = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("x", "0"), "kube-system");
        var events = await CollectAsync(client, start, 1, bookmarks: true);
        Assert.Equal(WatchEventType.Bookmark, events[0].Type);
        Assert.NotEqual(start, events[0].Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Objects_and_resourceVersions_survive_a_restart()
    {
        await using var own = await OwnServer.StartAsync();
        var created = await own.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("durable", "1"), "default");
        await own.RestartAsync();
        var read = await own.Client.CoreV1.ReadNamespacedConfigMapAsync("durable", "default");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        var next = await own.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("next", "1"), "default");
        Assert.True(long.Parse(next.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "svc" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } };
        var firstIp = (await own.Client.CoreV1.CreateNamespacedServiceAsync(service, "default")).Spec.ClusterIP;
        await own.RestartAsync();
        service.Metadata.Name = "svc2";
        Assert.NotEqual(firstIp, (await own.Client.CoreV1.CreateNamespacedServiceAsync(service, "default")).Spec.ClusterIP);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() =>
            own.Client.CoreV1.ReplaceNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "durable", ResourceVersion = "1" } }, "durable", "default"));
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
    }

    [Fact]
    public async Task A_filtered_watch_sees_objects_entering_and_leaving_its_selector()
    {
        await using var own = await OwnServer.StartAsync();
        var client = own.Client;
        var start = (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map("moving", "0"), "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"team":"a"}}}""", V1Patch.PatchType.MergePatch), "moving", "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"v":"1"}}""", V1Patch.PatchType.MergePatch), "moving", "default");
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"team":"b"}}}""", V1Patch.PatchType.MergePatch), "moving", "default");
        var events = new List<WatchEventType>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var (type, _) in client.CoreV1.WatchListNamespacedConfigMapAsync("default", resourceVersion: start, labelSelector: "team=a", cancellationToken: cts.Token))
        {
            events.Add(type);
            if (events.Count == 3)
            {
                break;
            }
        }
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events);
    }
}
