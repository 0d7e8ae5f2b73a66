using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Storage;

/// <summary>
/// Concurrent writers over HTTPS, committed in groups: each gets its own answer (created, 409 AlreadyExists,
/// 409 Conflict, 422 Invalid), every success has its own resourceVersion, and a watch sees exactly the successful
/// writes, in resourceVersion (commit) order.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class GroupCommitIntegrationTest(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Concurrent_writers_with_mixed_outcomes_each_get_their_own_answer_and_the_watch_sees_commit_order()
    {
        var ns = await cluster.CreateNamespaceAsync("group-commit");
        var client = cluster.Client;
        var target = await client.CoreV1.CreateNamespacedConfigMapAsync(Map("target", "0"), ns);
        var staleVersion = target.Metadata.ResourceVersion;
        var start = staleVersion;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var watched = new List<(WatchEventType Type, string Name, long Version)>();
        var expected = new TaskCompletionSource();
        var successes = 0;
        var watchReady = new TaskCompletionSource();
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, item) in client.CoreV1.WatchListNamespacedConfigMapAsync(ns, resourceVersion: start, cancellationToken: timeout.Token))
            {
                lock (watched)
                {
                    watched.Add((type, item.Metadata.Name, long.Parse(item.Metadata.ResourceVersion, CultureInfo.InvariantCulture)));
                    if (Volatile.Read(ref successes) > 0 && watched.Count >= Volatile.Read(ref successes))
                    {
                        expected.TrySetResult();
                    }
                }
            }
        }, timeout.Token);

        // 16 distinct creates succeed; of 6 creates of one name one succeeds; of 6 updates from the same stale
        // resourceVersion one succeeds; 4 invalid Widgets are refused. All at once.
        var outcomes = await Task.WhenAll(
            Enumerable.Range(0, 16).Select(i => Outcome("create", () => client.CoreV1.CreateNamespacedConfigMapAsync(Map($"c{i}", "0"), ns)))
                .Concat(Enumerable.Range(0, 6).Select(i => Outcome("duplicate", () => client.CoreV1.CreateNamespacedConfigMapAsync(Map("dup", i.ToString(CultureInfo.InvariantCulture)), ns))))
                .Concat(Enumerable.Range(0, 6).Select(i => Outcome("stale update", () =>
                {
                    var update = Map("target", $"from-{i}");
                    update.Metadata.ResourceVersion = staleVersion;
                    return client.CoreV1.ReplaceNamespacedConfigMapAsync(update, "target", ns);
                })))
                .Concat(Enumerable.Range(0, 4).Select(i => Outcome("invalid", () => client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
                    new Dictionary<string, object>
                    {
                        ["apiVersion"] = $"{LocalClusterFixture.Group}/{LocalClusterFixture.Version}",
                        ["kind"] = "Widget",
                        ["metadata"] = new Dictionary<string, object> { ["name"] = $"bad{i}" },
                        ["spec"] = new Dictionary<string, object> { ["size"] = 0 },
                    }, LocalClusterFixture.Group, LocalClusterFixture.Version, ns, LocalClusterFixture.Plural)))));

        Assert.All(outcomes.Where(o => o.Kind == "create"), o => Assert.True(o.Version is not null, $"a create failed: {o.Status} {o.Message}"));
        Assert.Equal(1, outcomes.Count(o => o.Kind == "duplicate" && o.Version is not null));
        Assert.All(outcomes.Where(o => o.Kind == "duplicate" && o.Version is null), o =>
        {
            Assert.Equal(HttpStatusCode.Conflict, o.Status);
            Assert.Contains("already exists", o.Message, StringComparison.Ordinal);
        });
        Assert.Equal(1, outcomes.Count(o => o.Kind == "stale update" && o.Version is not null));
        Assert.All(outcomes.Where(o => o.Kind == "stale update" && o.Version is null), o =>
        {
            Assert.Equal(HttpStatusCode.Conflict, o.Status);
            Assert.Contains("the object has been modified", o.Message, StringComparison.Ordinal);
        });
        Assert.All(outcomes.Where(o => o.Kind == "invalid"), o =>
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, o.Status);
            Assert.Contains("spec.size", o.Message, StringComparison.Ordinal);
        });

        var succeeded = outcomes.Where(o => o.Version is not null).ToList();
        Assert.Equal(18, succeeded.Count);
        Assert.Equal(succeeded.Count, succeeded.Select(o => o.Version).Distinct().Count());
        lock (watched)
        {
            Volatile.Write(ref successes, succeeded.Count);
            if (watched.Count >= succeeded.Count)
            {
                expected.TrySetResult();
            }
        }
        await expected.Task.WaitAsync(timeout.Token);
        await timeout.CancelAsync();
        await Task.WhenAny(watch);

        List<(WatchEventType Type, string Name, long Version)> seen;
        lock (watched)
        {
            seen = [.. watched];
        }
        var versions = seen.Select(e => e.Version).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(succeeded.Select(o => o.Version!.Value).Order(), versions);
        Assert.Equal(17, seen.Count(e => e.Type == WatchEventType.Added));
        Assert.Equal(("target", WatchEventType.Modified), seen.Where(e => e.Type == WatchEventType.Modified).Select(e => (e.Name, e.Type)).Single());
    }

    private static V1ConfigMap Map(string name, string value) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["v"] = value } };

    private static async Task<WriteOutcome> Outcome<T>(string kind, Func<Task<T>> write)
    {
        try
        {
            var written = await write();
            var version = written switch
            {
                V1ConfigMap map => map.Metadata.ResourceVersion,
                _ => throw new InvalidOperationException($"{kind} was expected to fail, and it succeeded"),
            };
            return new WriteOutcome(kind, null, "", long.Parse(version, CultureInfo.InvariantCulture));
        }
        catch (HttpOperationException e)
        {
            return new WriteOutcome(kind, e.Response.StatusCode, e.Response.Content, null);
        }
    }

    /// <summary>A success has the resourceVersion written; a failure the status code and the server's message.</summary>
    private sealed record WriteOutcome(string Kind, HttpStatusCode? Status, string Message, long? Version);
}
