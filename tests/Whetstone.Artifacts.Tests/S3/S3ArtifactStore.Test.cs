using System.Diagnostics;
using Minio;
using Minio.DataModel.Args;

namespace Whetstone.Artifacts.Tests.S3;

public sealed class S3ArtifactStoreTest(S3rverFixture server) : ArtifactStoreContract, IClassFixture<S3rverFixture>, IDisposable
{
    private static readonly HttpClient Http = new();
    private readonly IMinioClient _raw = new MinioClient()
        .WithEndpoint("127.0.0.1", server.Port).WithCredentials("S3RVER", "S3RVER").WithSSL(false).Build();

    protected override IArtifactStore NewStore() => server.CreateStore();

    protected override string StoredBytesFile(IArtifactStore store, string key) => server.ObjectFile(store, key);

    protected override async Task WriteRawAsync(IArtifactStore store, string key, byte[] content)
    {
        using var stream = new MemoryStream(content);
        await _raw.PutObjectAsync(new PutObjectArgs().WithBucket(S3rverFixture.Bucket).WithObject(ObjectName(store, key))
            .WithStreamData(stream).WithObjectSize(content.Length));
    }

    protected override async Task<IReadOnlyList<string>> ListRawAsync(IArtifactStore store)
    {
        var prefix = ObjectName(store, "");
        var keys = new List<string>();
        await foreach (var item in _raw.ListObjectsEnumAsync(new ListObjectsArgs().WithBucket(S3rverFixture.Bucket).WithPrefix(prefix).WithRecursive(true)))
        {
            keys.Add(item.Key[prefix.Length..]);
        }

        return keys;
    }

    protected override Task<byte[]> FetchAsync(Uri readUrl)
    {
        Assert.Equal("http", readUrl.Scheme);
        return Http.GetByteArrayAsync(readUrl);
    }

    private static string ObjectName(IArtifactStore store, string key) => Uri.UnescapeDataString(store.GetUri(key).AbsolutePath).TrimStart('/');

    [Fact]
    public async Task Put_retries_until_the_restarted_server_answers()
    {
        using var store = NewStore();
        await store.PutAsync("warm.bin", new MemoryStream([1]));
        var content = TestContent.Bytes(50_000, seed: 11);

        await server.StopAsync();
        var put = store.PutAsync("after-restart.bin", new MemoryStream(content));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(put.IsCompleted, "the put must still be retrying while the server is down");
        await server.StartAsync();
        var stored = await put.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(content.Length, stored.SizeBytes);
        Assert.Equal(content, await ReadAllAsync(store, "after-restart.bin"));
    }

    [Fact]
    public async Task Wrong_credentials_fail_at_once_with_access_denied_naming_the_uri()
    {
        using var store = server.CreateStore(server.Options(accessKey: "WRONG", secretKey: "WRONG-SECRET"));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ArtifactAccessDeniedException>(() => store.PutAsync("x.bin", new MemoryStream([1])));

        Assert.StartsWith($"access denied for {store.Root.AbsoluteUri.TrimEnd('/')}", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the access key and secret key", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"a permanent error must not be retried (took {clock.Elapsed})");
    }

    [Fact]
    public async Task Missing_bucket_is_reported_as_not_found()
    {
        var options = server.Options() with { CreateBucketIfMissing = false };
        using var store = ArtifactStoreFactory.Create("s3://no-such-bucket-here/prefix/", options);

        var error = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.StatAsync("x.bin"));

        Assert.Contains("NoSuchBucket", error.Message, StringComparison.Ordinal);
        Assert.Contains("s3://no-such-bucket-here/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cleanup_says_when_the_server_cannot_list_incomplete_uploads()
    {
        using var store = NewStore();

        var report = await store.CleanupAsync("", TimeSpan.Zero);

        // s3rver does not implement ListMultipartUploads; a real S3 or MinIO returns no note here.
        Assert.Contains(report.Notes, n => n.Contains("NotImplemented", StringComparison.Ordinal));
    }

    public void Dispose() => _raw.Dispose();
}
