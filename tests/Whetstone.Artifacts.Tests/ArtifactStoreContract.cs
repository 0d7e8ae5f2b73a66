using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Whetstone.Artifacts.Datasets;
using Whetstone.Artifacts.Models;

namespace Whetstone.Artifacts.Tests;

/// <summary>The behaviour every artifact store must have; runs once per backend (file and S3).</summary>
public abstract class ArtifactStoreContract
{
    private const int MiB = 1024 * 1024;

    /// <summary>A store rooted at a fresh, empty location.</summary>
    protected abstract IArtifactStore NewStore();

    /// <summary>The file the backend keeps the artifact's bytes in (to corrupt them underneath the store).</summary>
    protected abstract string StoredBytesFile(IArtifactStore store, string key);

    /// <summary>Writes an object directly, bypassing the store: what a crashed writer leaves behind.</summary>
    protected abstract Task WriteRawAsync(IArtifactStore store, string key, byte[] content);

    /// <summary>Every raw key under the store's root, bookkeeping included.</summary>
    protected abstract Task<IReadOnlyList<string>> ListRawAsync(IArtifactStore store);

    /// <summary>Fetches a read URL the way a consumer without credentials would.</summary>
    protected abstract Task<byte[]> FetchAsync(Uri readUrl);

    [Fact]
    public async Task Put_then_read_returns_the_bytes_with_their_sha256_digest()
    {
        using var store = NewStore();
        var content = TestContent.Bytes(100_000);

        var stored = await store.PutAsync("a/b/small.bin", new MemoryStream(content), "application/x-test");

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)), stored.Digest);
        Assert.Equal(content.Length, stored.SizeBytes);
        Assert.Equal(store.GetUri("a/b/small.bin"), stored.Uri);
        Assert.Equal(content, await ReadAllAsync(store, "a/b/small.bin"));
        var stat = await store.StatAsync("a/b/small.bin");
        Assert.Equal(stored, stat);
        Assert.True(await store.ExistsAsync("a/b/small.bin"));
        Assert.Null(await store.StatAsync("a/b/other.bin"));
    }

    [Fact]
    public async Task Large_upload_of_64_MiB_streams_and_records_the_digest_of_every_byte()
    {
        using var store = NewStore();
        const long length = 64L * MiB + 12_345;
        long lastProgress = 0;
        var progress = new SynchronousProgress(p => lastProgress = p);

        var stored = await store.PutAsync("models/big.bin", new GeneratedStream(length, seed: 7), progress: progress);

        Assert.Equal(TestContent.DigestOfGenerated(length, seed: 7), stored.Digest);
        Assert.Equal(length, stored.SizeBytes);
        Assert.Equal(length, lastProgress);
        var verified = await store.VerifyDigestAsync("models/big.bin", stored.Digest);
        Assert.Equal(stored.Digest, verified.Digest);
        Assert.Equal(["models/big.bin"], await KeysAsync(store, ""));
    }

    [Fact]
    public async Task Ranged_read_returns_exactly_the_requested_bytes()
    {
        using var store = NewStore();
        var content = TestContent.Bytes(300_000, seed: 3);
        await store.PutAsync("range.bin", new MemoryStream(content));

        await using var range = await store.OpenReadRangeAsync("range.bin", 123_456, 1000);
        using var copy = new MemoryStream();
        await range.CopyToAsync(copy);

        Assert.Equal(content.AsSpan(123_456, 1000).ToArray(), copy.ToArray());
    }

    [Fact]
    public async Task Listing_pages_through_1500_keys_in_order_and_hides_sidecars()
    {
        using var store = NewStore();
        var keys = Enumerable.Range(0, 1500).Select(i => $"many/item-{i:D5}.txt").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (key, ct) => await store.PutAsync(key, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(key)), "text/plain", null, ct));
        await store.PutAsync("other/x.txt", new MemoryStream([1]));

        var listed = await KeysAsync(store, "many/");

        Assert.Equal(keys, listed);
    }

    [Fact]
    public async Task Read_url_serves_the_bytes_to_a_client_without_credentials()
    {
        using var store = NewStore();
        var content = TestContent.Bytes(70_000, seed: 5);
        await store.PutAsync("shared/report.html", new MemoryStream(content), "text/html");

        var url = await store.GetReadUrlAsync("shared/report.html", TimeSpan.FromMinutes(10));

        Assert.Equal(content, await FetchAsync(url));
    }

    [Fact]
    public async Task Source_failing_halfway_through_a_large_upload_leaves_nothing_visible()
    {
        using var store = NewStore();

        var error = await Assert.ThrowsAsync<IOException>(() =>
            store.PutAsync("out/model.bin", new GeneratedStream(40L * MiB, seed: 1, failAfter: 20L * MiB)));

        Assert.Contains("source failed", error.Message, StringComparison.Ordinal);
        Assert.False(await store.ExistsAsync("out/model.bin"));
        Assert.Empty(await KeysAsync(store, ""));
        Assert.Empty(await ListRawAsync(store));
    }

    [Fact]
    public async Task Cancelled_upload_leaves_nothing_visible()
    {
        using var store = NewStore();
        using var cancel = new CancellationTokenSource();
        var hang = new TaskCompletionSource();
        var source = new GeneratedStream(40L * MiB, seed: 1, failAfter: 12L * MiB, hangAt: hang, abandoned: cancel.Token);

        var put = store.PutAsync("out/cancelled.bin", source, cancellationToken: cancel.Token);
        await source.ReachedFailurePoint.WaitAsync(TimeSpan.FromMinutes(1));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        Assert.Null(await store.StatAsync("out/cancelled.bin"));
        Assert.Empty(await KeysAsync(store, ""));
    }

    [Fact]
    public async Task Cleanup_removes_what_a_crashed_writer_left_and_keeps_complete_artifacts()
    {
        using var store = NewStore();
        await store.PutAsync("job/kept.bin", new MemoryStream(TestContent.Bytes(1000)));
        // What a process killed mid-write leaves: a temporary beside the key, and a sidecar whose artifact never appeared.
        await WriteRawAsync(store, "job/lost.bin" + ArtifactKeys.TemporaryMarker + Guid.NewGuid().ToString("N"), TestContent.Bytes(5000));
        await WriteRawAsync(store, ArtifactKeys.SidecarOf("job/lost.bin"), "{}"u8.ToArray());
        Assert.Equal(["job/kept.bin"], await KeysAsync(store, ""));

        var young = await store.CleanupAsync("job/", olderThan: TimeSpan.FromHours(1));
        var report = await store.CleanupAsync("job/", olderThan: TimeSpan.Zero);

        Assert.Equal(0, young.TemporaryObjectsRemoved + young.OrphanSidecarsRemoved);
        Assert.Equal(1, report.TemporaryObjectsRemoved);
        Assert.Equal(1, report.OrphanSidecarsRemoved);
        Assert.Equal(["job/kept.bin", ArtifactKeys.SidecarOf("job/kept.bin")], await ListRawAsync(store));
        Assert.Equal(TestContent.Bytes(1000), await ReadAllAsync(store, "job/kept.bin"));
    }

    [Fact]
    public async Task Corrupted_bytes_fail_the_read_with_the_expected_and_actual_digest()
    {
        using var store = NewStore();
        var content = TestContent.Bytes(200_000, seed: 9);
        var stored = await store.PutAsync("data/train.jsonl", new MemoryStream(content));
        var file = StoredBytesFile(store, "data/train.jsonl");
        var corrupted = (byte[])content.Clone();
        corrupted[150_000] ^= 0xFF;
        await File.WriteAllBytesAsync(file, corrupted);

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => ReadAllAsync(store, "data/train.jsonl"));

        Assert.Equal(stored.Uri, error.Uri);
        Assert.Equal(stored.Digest, error.Expected);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(corrupted)), error.Actual);
        Assert.Contains(stored.Uri.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.VerifyDigestAsync("data/train.jsonl", stored.Digest));
    }

    [Fact]
    public async Task Truncated_bytes_fail_the_read()
    {
        using var store = NewStore();
        var content = TestContent.Bytes(200_000, seed: 10);
        await store.PutAsync("data/cut.bin", new MemoryStream(content));
        await File.WriteAllBytesAsync(StoredBytesFile(store, "data/cut.bin"), content[..100_000]);

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => ReadAllAsync(store, "data/cut.bin"));

        Assert.Contains("truncated", error.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinned_digest_that_differs_fails_verification()
    {
        using var store = NewStore();
        var stored = await store.PutAsync("pinned.bin", new MemoryStream(TestContent.Bytes(1000)));
        var wrongPin = "sha256:" + new string('0', 64);

        var error = await Assert.ThrowsAsync<ArtifactIntegrityException>(() => store.VerifyDigestAsync("pinned.bin", wrongPin));

        Assert.Equal(wrongPin, error.Expected);
        Assert.Equal(stored.Digest, error.Actual);
        await Assert.ThrowsAsync<ArgumentException>(() => store.VerifyDigestAsync("pinned.bin", "md5:abc"));
    }

    [Fact]
    public async Task Put_never_overwrites_and_an_identical_retry_returns_the_stored_artifact()
    {
        using var store = NewStore();
        var first = await store.PutAsync("once.bin", new MemoryStream(TestContent.Bytes(1000, seed: 1)));
        var large = await store.PutAsync("once-large.bin", new GeneratedStream(7L * MiB, seed: 2));

        var retry = await store.PutAsync("once.bin", new MemoryStream(TestContent.Bytes(1000, seed: 1)));
        var largeRetry = await store.PutAsync("once-large.bin", new GeneratedStream(7L * MiB, seed: 2));
        var refused = await Assert.ThrowsAsync<ArtifactExistsException>(() => store.PutAsync("once.bin", new MemoryStream(TestContent.Bytes(1000, seed: 2))));
        var refusedLarge = await Assert.ThrowsAsync<ArtifactExistsException>(() => store.PutAsync("once-large.bin", new GeneratedStream(7L * MiB, seed: 3)));

        Assert.Equal(first, retry);
        Assert.Equal(large, largeRetry);
        Assert.Equal(first.Digest, refused.ExistingDigest);
        Assert.Equal(large.Digest, refusedLarge.ExistingDigest);
        Assert.Equal(TestContent.Bytes(1000, seed: 1), await ReadAllAsync(store, "once.bin"));
        Assert.Equal(["once-large.bin", "once.bin"], await KeysAsync(store, ""));
    }

    [Fact]
    public async Task Copy_creates_a_verified_artifact_at_the_new_key()
    {
        using var store = NewStore();
        var source = await store.PutAsync("src/a.bin", new MemoryStream(TestContent.Bytes(5000)), "application/x-a");

        var copy = await store.CopyAsync("src/a.bin", "dst/a.bin");

        Assert.Equal(source.Digest, copy.Digest);
        Assert.Equal("application/x-a", copy.ContentType);
        Assert.Equal(TestContent.Bytes(5000), await ReadAllAsync(store, "dst/a.bin"));
    }

    [Fact]
    public async Task Delete_removes_the_artifact_and_its_sidecar()
    {
        using var store = NewStore();
        await store.PutAsync("gone.bin", new MemoryStream([1, 2, 3]));

        await store.DeleteAsync("gone.bin");
        await store.DeleteAsync("never-there.bin");

        Assert.False(await store.ExistsAsync("gone.bin"));
        Assert.Empty(await ListRawAsync(store));
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.OpenReadAsync("gone.bin"));
    }

    [Fact]
    public async Task Keys_that_would_collide_with_bookkeeping_are_refused_with_the_reason()
    {
        using var store = NewStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("x.whetstone.json", new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("../escape", new MemoryStream([1])));

        Assert.Contains("reserved for sidecar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_directory_round_trips_verified_and_the_cache_downloads_it_once()
    {
        using var store = NewStore();
        using var work = new TemporaryDirectory();
        var model = CreateModelDirectory(work.Path);
        var prefix = ArtifactKeys.JobOutputPrefix("models/support-lora", "uid-1234");
        var provenance = new ModelProvenance("whetstone", new ModelProducer("FineTuneJob", "team-a", "support-lora", "uid-1234"),
            SourceModelDigest: "sha256:" + new string('a', 64), DatasetDigest: "sha256:" + new string('b', 64),
            Parameters: new Dictionary<string, JsonNode?> { ["rank"] = 8, ["learningRate"] = 0.0002, ["targets"] = new JsonArray("q_proj", "v_proj") });

        var stored = await ModelDirectories.UploadAsync(store, prefix, model, provenance);

        Assert.Equal("models/support-lora/uid-1234/", prefix);
        var manifestBytes = await ReadAllAsync(store, prefix + ModelManifest.FileName);
        Assert.Equal(ArtifactDigest.Compute(manifestBytes), stored.Digest);
        Assert.Equal(["config.json", "extra/vocab.txt", "model.safetensors", "tokenizer.json"], stored.Manifest.Files.Select(f => f.Path));
        var downloaded = Path.Combine(work.Path, "downloaded");
        var fetched = await ModelDirectories.DownloadAsync(store, prefix, downloaded, stored.Digest);
        Assert.Equal(stored.Digest, fetched.Digest);
        Assert.Equal("FineTuneJob", fetched.Manifest.Producer!.Kind);
        Assert.Equal(8, fetched.Manifest.Parameters["rank"]!.GetValue<int>());
        AssertSameFiles(model, downloaded);

        var cache = new ModelCache(Path.Combine(work.Path, "cache"));
        var first = await cache.GetAsync(store, prefix);
        var second = await cache.GetAsync(store, prefix);
        var pinned = await cache.GetAsync(store, prefix, stored.Digest);

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.True(pinned.CacheHit);
        Assert.Equal(cache.PathOf(stored.Digest), first.Directory);
        AssertSameFiles(model, first.Directory);
        Assert.Single(Directory.GetDirectories(cache.CacheDirectory));
    }

    [Fact]
    public async Task Model_download_refuses_a_corrupted_file_and_leaves_no_directory()
    {
        using var store = NewStore();
        using var work = new TemporaryDirectory();
        var stored = await ModelDirectories.UploadAsync(store, "m/", CreateModelDirectory(work.Path), new ModelProvenance());
        var weights = StoredBytesFile(store, "m/model.safetensors");
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(weights, bytes);
        var target = Path.Combine(work.Path, "out");

        await Assert.ThrowsAsync<ArtifactIntegrityException>(() => ModelDirectories.DownloadAsync(store, "m/", target));
        var wrongPin = await Assert.ThrowsAsync<ArtifactIntegrityException>(() =>
            ModelDirectories.DownloadAsync(store, "m/", target, "sha256:" + new string('c', 64)));

        Assert.Equal(stored.Digest, wrongPin.Actual);
        Assert.False(Directory.Exists(target));
        Assert.DoesNotContain(Directory.GetDirectories(work.Path), d => d.Contains(ArtifactKeys.TemporaryMarker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dataset_versions_are_addressed_by_digest_and_never_change()
    {
        using var store = NewStore();
        var v1 = TestContent.Bytes(10_000, seed: 21);
        var v2 = TestContent.Bytes(6 * MiB, seed: 22);

        var first = await store.PutDatasetVersionAsync("support", "train.jsonl", new MemoryStream(v1));
        var again = await store.PutDatasetVersionAsync("support", "train.jsonl", new MemoryStream(v1));
        var second = await store.PutDatasetVersionAsync("support", "train.jsonl", new MemoryStream(v2));

        Assert.Equal(first, again);
        Assert.NotEqual(first.Uri, second.Uri);
        Assert.Equal(store.GetUri(DatasetVersions.KeyOf("support", first.Digest, "train.jsonl")), first.Uri);
        Assert.EndsWith($"support/datasets/sha256-{first.Digest[7..]}/train.jsonl", first.Uri.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(v2, await ReadAllAsync(store, DatasetVersions.KeyOf("support", second.Digest, "train.jsonl")));
        Assert.Equal(2, (await KeysAsync(store, "support/datasets/")).Count);
    }

    private static string CreateModelDirectory(string parent)
    {
        var model = Path.Combine(parent, "model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(model, "extra"));
        File.WriteAllText(Path.Combine(model, "config.json"), "{\"hidden_size\": 64, \"num_layers\": 2}");
        File.WriteAllBytes(Path.Combine(model, "model.safetensors"), TestContent.Bytes(6 * MiB + 3, seed: 30));
        File.WriteAllText(Path.Combine(model, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        File.WriteAllText(Path.Combine(model, "extra", "vocab.txt"), "a\nb\n");
        return model;
    }

    private static void AssertSameFiles(string expectedDirectory, string actualDirectory)
    {
        foreach (var file in Directory.EnumerateFiles(expectedDirectory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(expectedDirectory, file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(actualDirectory, relative)));
        }

        Assert.True(File.Exists(Path.Combine(actualDirectory, ModelManifest.FileName)));
    }

    protected static async Task<byte[]> ReadAllAsync(IArtifactStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    protected static async Task<List<string>> KeysAsync(IArtifactStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var item in store.ListAsync(prefix))
        {
            keys.Add(item.Key);
        }

        return keys;
    }
}
