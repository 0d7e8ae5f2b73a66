using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Tests.Storage;

/// <summary>
/// Group commit in the object store, on a real SQLite file: writes that queue while a commit is in progress go
/// into one transaction, none is acknowledged (or visible to readers) before its transaction committed, a failed
/// commit fails exactly the writes that depended on it, and a reopened copy of the files holds every acknowledged
/// write. A commit "in progress" is made real by another connection holding the database's write lock.
/// </summary>
public sealed class GroupCommitTest : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("whetstone-group-commit-").FullName;

    private string DatabasePath => Path.Combine(_directory, "cluster.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Writes_queued_while_a_commit_waits_are_committed_together_and_acknowledged_only_after_it()
    {
        using var store = new ObjectStore(DatabasePath, busyTimeout: Patience);
        var service = NewService(store);
        var before = (store.CurrentResourceVersion, store.Transactions, store.CommittedWrites);
        const int writers = 12;
        Task<WriteResult>[] writes;
        using (var holder = HoldDatabase())
        {
            writes = [.. Enumerable.Range(0, writers).Select(i => Task.Factory.StartNew(() => CreateMap(service, $"m{i}", "0"), TaskCreationOptions.LongRunning))];
            await WaitUntilAsync(() => store.PendingWrites == writers, "all twelve writes to be queued");

            Assert.DoesNotContain(writes, w => w.IsCompleted);
            Assert.All(Enumerable.Range(0, writers), i => Assert.Null(store.Get(BuiltInResources.ConfigMaps.StorageKey, "default", $"m{i}")));
            Assert.Equal(before.CurrentResourceVersion, store.CurrentResourceVersion);
        }

        var results = await Task.WhenAll(writes);
        var versions = results.Select(r => long.Parse(r.Object["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, writers).Select(i => before.CurrentResourceVersion + i), versions);
        Assert.Equal(writers, store.CommittedWrites - before.CommittedWrites);
        // The first committer took what was queued when it started and waited; everything queued behind it went in one more.
        var transactions = store.Transactions - before.Transactions;
        Assert.InRange(transactions, 1, 2);
        Assert.Equal(0, store.PendingWrites);
        Assert.All(Enumerable.Range(0, writers), i => Assert.NotNull(store.Get(BuiltInResources.ConfigMaps.StorageKey, "default", $"m{i}")));
    }

    [Fact]
    public async Task A_failed_commit_fails_its_writes_and_those_queued_behind_it_and_the_store_carries_on_from_what_is_committed()
    {
        var store = new ObjectStore(DatabasePath, busyTimeout: TimeSpan.FromMilliseconds(200));
        var service = NewService(store);
        var committed = store.CurrentResourceVersion;
        Task<WriteResult>[] writes;
        using (HoldDatabase())
        {
            writes = [.. Enumerable.Range(0, 4).Select(i => Task.Factory.StartNew(() => CreateMap(service, $"lost{i}", "0"), TaskCreationOptions.LongRunning))];
            foreach (var write in writes)
            {
                var error = await Assert.ThrowsAsync<InvalidOperationException>(() => write);
                Assert.StartsWith("the write was not committed", error.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal(committed, store.CurrentResourceVersion);
        Assert.Null(store.Get(BuiltInResources.ConfigMaps.StorageKey, "default", "lost0"));
        // The writers' view was rebuilt: the name is free again and the next version follows the last committed one.
        var retried = CreateMap(service, "lost0", "1");
        Assert.Equal((committed + 1).ToString(CultureInfo.InvariantCulture), retried.Object["metadata"]!["resourceVersion"]!.GetValue<string>());
        store.Dispose();

        using var reopened = new ObjectStore(DatabasePath);
        Assert.Equal(committed + 1, reopened.CurrentResourceVersion);
        Assert.Equal("1", reopened.Get(BuiltInResources.ConfigMaps.StorageKey, "default", "lost0")!.Object["data"]!["v"]!.GetValue<string>());
        Assert.All(Enumerable.Range(1, 3), i => Assert.Null(reopened.Get(BuiltInResources.ConfigMaps.StorageKey, "default", $"lost{i}")));
    }

    [Fact]
    public async Task A_copy_of_the_files_taken_without_closing_holds_every_acknowledged_write_of_concurrent_writers()
    {
        var store = new ObjectStore(DatabasePath);
        var service = NewService(store);
        const int writers = 8;
        const int rounds = 40;
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, (long Version, string Value)>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Factory.StartNew(() =>
        {
            for (var round = 0; round < rounds; round++)
            {
                // Each writer creates its own object and rewrites one object it shares with every other writer.
                var own = CreateMap(service, $"w{w}-{round}", "0");
                acknowledged[$"w{w}-{round}"] = (VersionOf(own), "0");
                var shared = UpdateShared(service, $"{w}-{round}");
                acknowledged.AddOrUpdate("shared", (VersionOf(shared), $"{w}-{round}"), (_, known) => known.Version > VersionOf(shared) ? known : (VersionOf(shared), $"{w}-{round}"));
            }
        }, TaskCreationOptions.LongRunning)));

        // As if the process died now: copy what is on disk (database and write-ahead log) without closing the store.
        var copy = Directory.CreateDirectory(Path.Combine(_directory, "after-crash")).FullName;
        File.Copy(DatabasePath, Path.Combine(copy, "cluster.db"));
        File.Copy(DatabasePath + "-wal", Path.Combine(copy, "cluster.db-wal"));
        var lastVersion = store.CurrentResourceVersion;
        store.Dispose();

        using var reopened = new ObjectStore(Path.Combine(copy, "cluster.db"));
        Assert.Equal(lastVersion, reopened.CurrentResourceVersion);
        Assert.Equal(writers * rounds + 1, acknowledged.Count);
        foreach (var (name, (version, value)) in acknowledged)
        {
            var found = reopened.Get(BuiltInResources.ConfigMaps.StorageKey, "default", name);
            Assert.True(found is not null, $"acknowledged write of {name} (resourceVersion {version}) is missing after reopening");
            Assert.Equal(version, found.ResourceVersion);
            Assert.Equal(value, found.Object["data"]!["v"]!.GetValue<string>());
        }
    }

    private static ObjectService NewService(ObjectStore store)
    {
        var service = new ObjectService(store, new ResourceRegistry());
        if (store.Get(BuiltInResources.Namespaces.StorageKey, "", "default") is null)
        {
            service.Create(BuiltInResources.Namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, WriteOptions.Default);
        }
        return service;
    }

    private static WriteResult CreateMap(ObjectService service, string name, string value) =>
        service.Create(BuiltInResources.ConfigMaps, "default", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["data"] = new JsonObject { ["v"] = value },
        }, WriteOptions.Default);

    /// <summary>Sets the shared object's value, creating it on first use (a lost race to create retries as an update).</summary>
    private static WriteResult UpdateShared(ObjectService service, string value)
    {
        var patch = new JsonObject { ["data"] = new JsonObject { ["v"] = value } }.ToJsonString();
        try
        {
            return service.Patch(BuiltInResources.ConfigMaps, "default", "shared", null, "application/merge-patch+json", patch, WriteOptions.Default);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            try
            {
                return CreateMap(service, "shared", value);
            }
            catch (ApiException exists) when (exists.Code == 409)
            {
                return service.Patch(BuiltInResources.ConfigMaps, "default", "shared", null, "application/merge-patch+json", patch, WriteOptions.Default);
            }
        }
    }

    private static long VersionOf(WriteResult result) =>
        long.Parse(result.Object["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>Another connection holding the database's write lock, so the store's next commit waits (or fails) behind it.</summary>
    private SqliteConnection HoldDatabase()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        return connection;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
