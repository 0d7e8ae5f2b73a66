using Whetstone.Artifacts.FileSystem;
using Whetstone.Artifacts.Models;

namespace Whetstone.Artifacts.Tests.Models;

public sealed class ModelCacheTest : IDisposable
{
    private const string Prefix = "models/base/";
    private const string WeightsKey = Prefix + "model.safetensors";
    private readonly TemporaryDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_workers_fetching_the_same_model_at_once_read_the_store_once_and_share_one_verified_copy(bool pinned)
    {
        var (store, digest) = await StoreWithModelAsync();
        using var _ = store;
        var release = new TaskCompletionSource();
        store.GatedKey = WeightsKey;
        store.ReadGate = release.Task;
        var cacheDirectory = Path.Combine(_work.Path, "node-cache");

        // Two cache objects, as two worker processes on one node would have.
        var first = new ModelCache(cacheDirectory).GetAsync(store, Prefix, pinned ? digest : null);
        var second = new ModelCache(cacheDirectory).GetAsync(store, Prefix, pinned ? digest : null);

        // One download is under way and held; the other worker has all the time it needs to start a second one.
        await store.GatedReadArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        release.SetResult();
        var results = await Task.WhenAll(first, second);

        Assert.Equal(1, store.ReadsOf(WeightsKey));
        Assert.Equal(pinned ? 1 : 2, store.ReadsOf(Prefix + ModelManifest.FileName));
        Assert.Single(results, r => !r.CacheHit);
        Assert.All(results, r => Assert.Equal(new ModelCache(cacheDirectory).PathOf(digest), r.Directory));
        Assert.Equal([Path.GetFileName(results[0].Directory)], Directory.GetDirectories(cacheDirectory).Select(Path.GetFileName));
        Assert.Equal(TestContent.Bytes(2 * 1024 * 1024, seed: 7), await File.ReadAllBytesAsync(Path.Combine(results[0].Directory, "model.safetensors")));
    }

    [Fact]
    public async Task A_cached_model_with_a_file_changed_on_disk_is_detected_by_its_digest_and_fetched_again()
    {
        var (store, digest) = await StoreWithModelAsync();
        using var _ = store;
        var cache = new ModelCache(Path.Combine(_work.Path, "node-cache"));
        var fetched = await cache.GetAsync(store, Prefix, digest);
        var weights = Path.Combine(fetched.Directory, "model.safetensors");
        var original = await File.ReadAllBytesAsync(weights);
        var changed = (byte[])original.Clone();
        changed[1000] ^= 0xFF;
        await File.WriteAllBytesAsync(weights, changed);

        var again = await cache.GetAsync(store, Prefix, digest);

        Assert.False(again.CacheHit);
        Assert.Equal(2, store.ReadsOf(WeightsKey));
        Assert.Equal(original, await File.ReadAllBytesAsync(weights));
        Assert.True((await cache.GetAsync(store, Prefix, digest)).CacheHit);
        Assert.Equal(2, store.ReadsOf(WeightsKey));
    }

    [Fact]
    public async Task A_model_used_again_is_checked_by_its_record_of_sizes_and_times_and_a_file_written_since_is_hashed_and_fetched_again()
    {
        var (store, digest) = await StoreWithModelAsync();
        using var _ = store;
        var cache = new ModelCache(Path.Combine(_work.Path, "node-cache"));
        var fetched = await cache.GetAsync(store, Prefix, digest);
        var weights = Path.Combine(fetched.Directory, "model.safetensors");
        var modelBytes = Directory.GetFiles(fetched.Directory).Sum(f => new FileInfo(f).Length) - new FileInfo(Path.Combine(fetched.Directory, ModelManifest.FileName)).Length;
        // As if downloaded a while ago: a file written just before a check could share its time with a later write.
        foreach (var file in Directory.GetFiles(fetched.Directory))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromMinutes(5));
        }

        var firstUse = await cache.GetAsync(store, Prefix, digest);
        var secondUse = await cache.GetAsync(store, Prefix, digest);
        Assert.Equal(modelBytes, firstUse.BytesHashedToCheck);
        Assert.True(secondUse.CacheHit);
        Assert.Equal(0, secondUse.BytesHashedToCheck);

        var changed = await File.ReadAllBytesAsync(weights);
        changed[1000] ^= 0xFF;
        await File.WriteAllBytesAsync(weights, changed);
        // Same size, and a time that is not recent (as a copy that keeps its source's time leaves it), but not the
        // time the record holds.
        File.SetLastWriteTimeUtc(weights, DateTime.UtcNow - TimeSpan.FromMinutes(3));
        var afterWrite = await cache.GetAsync(store, Prefix, digest);

        Assert.False(afterWrite.CacheHit);
        Assert.Equal(2, store.ReadsOf(WeightsKey));
        Assert.Equal(TestContent.Bytes(2 * 1024 * 1024, seed: 7), await File.ReadAllBytesAsync(weights));
    }

    [Fact]
    public async Task A_file_written_within_the_racy_window_before_a_check_is_hashed_again_on_the_next_use()
    {
        var (store, digest) = await StoreWithModelAsync();
        using var _ = store;
        var cache = new ModelCache(Path.Combine(_work.Path, "node-cache"));
        await cache.GetAsync(store, Prefix, digest);

        // Just downloaded: every file is younger than the racy window, so no record vouches for it yet.
        var first = await cache.GetAsync(store, Prefix, digest);
        var second = await cache.GetAsync(store, Prefix, digest);

        Assert.True(first.BytesHashedToCheck > 2 * 1024 * 1024);
        Assert.Equal(first.BytesHashedToCheck, second.BytesHashedToCheck);
    }

    [Fact]
    public async Task A_staging_folder_left_by_a_killed_download_is_never_used_and_is_removed_by_the_next_download()
    {
        var (store, digest) = await StoreWithModelAsync();
        using var _ = store;
        var cache = new ModelCache(Path.Combine(_work.Path, "node-cache"));
        var leftover = cache.PathOf(digest) + ArtifactKeys.TemporaryMarker + "killed";
        Directory.CreateDirectory(leftover);
        await File.WriteAllBytesAsync(Path.Combine(leftover, "model.safetensors"), [1, 2, 3]);

        var fetched = await cache.GetAsync(store, Prefix, digest);

        Assert.False(fetched.CacheHit);
        Assert.False(Directory.Exists(leftover));
        Assert.Equal(TestContent.Bytes(2 * 1024 * 1024, seed: 7), await File.ReadAllBytesAsync(Path.Combine(fetched.Directory, "model.safetensors")));
    }

    [Fact]
    public async Task A_download_that_takes_a_bounded_cache_over_its_bound_removes_the_least_recently_used_idle_entries()
    {
        var (store, a, b, c) = await StoreWithThreeModelsAsync();
        using var _ = store;
        // Each model is a little over 2 MiB: the bound holds two.
        var cache = new ModelCache(Path.Combine(_work.Path, "node-cache"), maxBytes: 5 * 1024 * 1024, minimumIdle: TimeSpan.FromMinutes(10));
        Assert.Empty((await cache.GetAsync(store, "models/a/", a)).Eviction!.Removed);
        Assert.Empty((await cache.GetAsync(store, "models/b/", b)).Eviction!.Removed);
        Directory.SetLastWriteTimeUtc(cache.PathOf(a), DateTime.UtcNow - TimeSpan.FromMinutes(60));
        Directory.SetLastWriteTimeUtc(cache.PathOf(b), DateTime.UtcNow - TimeSpan.FromMinutes(30));
        Assert.True((await cache.GetAsync(store, "models/a/", a)).CacheHit); // a used again: now the most recent

        var third = await cache.GetAsync(store, "models/c/", c);

        Assert.Equal([ArtifactDigest.ToPathSegment(b)], third.Eviction!.Removed);
        Assert.False(third.Eviction.StillOver);
        Assert.False(Directory.Exists(cache.PathOf(b)));
        Assert.True(Directory.Exists(cache.PathOf(a)));

        // Both idle now: the one used longest ago goes.
        Directory.SetLastWriteTimeUtc(cache.PathOf(a), DateTime.UtcNow - TimeSpan.FromMinutes(20));
        Directory.SetLastWriteTimeUtc(cache.PathOf(c), DateTime.UtcNow - TimeSpan.FromMinutes(40));
        var again = await cache.GetAsync(store, "models/b/", b);

        Assert.False(again.CacheHit);
        Assert.Equal([ArtifactDigest.ToPathSegment(c)], again.Eviction!.Removed);
        Assert.True((await cache.GetAsync(store, "models/a/", a)).CacheHit);
    }

    [Fact]
    public async Task Over_its_bound_a_cache_keeps_entries_used_within_the_minimum_idle_time_and_entries_another_worker_holds()
    {
        var (store, a, b, c) = await StoreWithThreeModelsAsync();
        using var _ = store;
        var cache = new ModelCache(Path.Combine(_work.Path, "node-cache"), maxBytes: 3 * 1024 * 1024, minimumIdle: TimeSpan.FromMinutes(10));
        await cache.GetAsync(store, "models/a/", a);
        var second = await cache.GetAsync(store, "models/b/", b);
        Assert.Empty(second.Eviction!.Removed);
        Assert.True(second.Eviction.StillOver);

        // a is idle but locked (another worker is checking or fetching it); b is idle and free.
        Directory.SetLastWriteTimeUtc(cache.PathOf(a), DateTime.UtcNow - TimeSpan.FromHours(2));
        Directory.SetLastWriteTimeUtc(cache.PathOf(b), DateTime.UtcNow - TimeSpan.FromHours(1));
        CachedModel third;
        using (new FileStream(cache.PathOf(a) + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            third = await cache.GetAsync(store, "models/c/", c);
        }

        Assert.Equal([ArtifactDigest.ToPathSegment(b)], third.Eviction!.Removed);
        Assert.True(Directory.Exists(cache.PathOf(a)));
    }

    // Models a, b and c under models/a/, models/b/ and models/c/, each a little over 2 MiB.
    private async Task<(FileArtifactStore Store, string A, string B, string C)> StoreWithThreeModelsAsync()
    {
        var store = new FileArtifactStore(Path.Combine(_work.Path, "store"), new ArtifactStoreOptions());
        return (store, await UploadModelAsync(store, "models/a/", seed: 1), await UploadModelAsync(store, "models/b/", seed: 2),
            await UploadModelAsync(store, "models/c/", seed: 3));
    }

    private async Task<string> UploadModelAsync(IArtifactStore store, string prefix, int seed)
    {
        var model = Path.Combine(_work.Path, "source-" + seed);
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{\"hidden_size\": 64}");
        File.WriteAllBytes(Path.Combine(model, "model.safetensors"), TestContent.Bytes(2 * 1024 * 1024, seed: seed));
        File.WriteAllText(Path.Combine(model, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        return (await ModelDirectories.UploadAsync(store, prefix, model, new ModelProvenance("whetstone", null))).Digest;
    }

    private async Task<(CountingArtifactStore Store, string Digest)> StoreWithModelAsync()
    {
        var store = new CountingArtifactStore(new FileArtifactStore(Path.Combine(_work.Path, "store"), new ArtifactStoreOptions()));
        return (store, await UploadModelAsync(store, Prefix, seed: 7));
    }
}
