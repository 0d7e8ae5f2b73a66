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

    private async Task<(CountingArtifactStore Store, string Digest)> StoreWithModelAsync()
    {
        var model = Path.Combine(_work.Path, "model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), "{\"hidden_size\": 64}");
        File.WriteAllBytes(Path.Combine(model, "model.safetensors"), TestContent.Bytes(2 * 1024 * 1024, seed: 7));
        File.WriteAllText(Path.Combine(model, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        var store = new CountingArtifactStore(new FileArtifactStore(Path.Combine(_work.Path, "store"), new ArtifactStoreOptions()));
        var stored = await ModelDirectories.UploadAsync(store, Prefix, model, new ModelProvenance("whetstone", null));
        return (store, stored.Digest);
    }
}
