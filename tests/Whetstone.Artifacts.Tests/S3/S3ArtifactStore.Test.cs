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
    public async Task The_test_server_honours_if_none_match_on_put_and_copy_and_serializes_racing_conditional_puts()
    {
        // scripts/setup.d/30-s3rver.sh adds S3's conditional writes to s3rver; the store's write-once rests on them.
        await _raw.MakeBucketAsync(new MakeBucketArgs().WithBucket("conditional"));
        Assert.Equal(System.Net.HttpStatusCode.OK, await ConditionalPutAsync("once.bin", [1]));
        Assert.Equal(System.Net.HttpStatusCode.PreconditionFailed, await ConditionalPutAsync("once.bin", [2]));
        Assert.Equal([1], await ReadRawAsync("once.bin"));

        using (var plain = new MemoryStream([3]))
        {
            // Without the header the last writer wins, as on S3.
            await _raw.PutObjectAsync(new PutObjectArgs().WithBucket("conditional").WithObject("once.bin").WithStreamData(plain).WithObjectSize(1));
        }

        Assert.Equal([3], await ReadRawAsync("once.bin"));
        var ifNoneMatch = new Dictionary<string, string>(StringComparer.Ordinal) { ["If-None-Match"] = "*" };
        CopyObjectArgs Copy(string destination) => new CopyObjectArgs().WithBucket("conditional").WithObject(destination)
            .WithCopyObjectSource(new CopySourceObjectArgs().WithBucket("conditional").WithObject("once.bin")).WithHeaders(ifNoneMatch);
        await _raw.CopyObjectAsync(Copy("copy.bin"));
        Assert.Equal([3], await ReadRawAsync("copy.bin"));
        await Assert.ThrowsAsync<Minio.Exceptions.PreconditionFailedException>(() => _raw.CopyObjectAsync(Copy("copy.bin")));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => ConditionalPutAsync("raced.bin", TestContent.Bytes(200_000, seed: i))));
        Assert.Single(statuses, s => s == System.Net.HttpStatusCode.OK);
        Assert.Equal(15, statuses.Count(s => s == System.Net.HttpStatusCode.PreconditionFailed));
        var winner = Array.IndexOf(statuses, System.Net.HttpStatusCode.OK);
        Assert.Equal(TestContent.Bytes(200_000, seed: winner), await ReadRawAsync("raced.bin"));
    }

    private async Task<System.Net.HttpStatusCode> ConditionalPutAsync(string key, byte[] content)
    {
        var url = await _raw.PresignedPutObjectAsync(new PresignedPutObjectArgs().WithBucket("conditional").WithObject(key).WithExpiry(600));
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
        request.Headers.IfNoneMatch.Add(System.Net.Http.Headers.EntityTagHeaderValue.Any);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<byte[]> ReadRawAsync(string key)
    {
        using var buffer = new MemoryStream();
        await _raw.GetObjectAsync(new GetObjectArgs().WithBucket("conditional").WithObject(key).WithCallbackStream(s => s.CopyTo(buffer)));
        return buffer.ToArray();
    }

    [Fact]
    public async Task Stores_that_create_a_missing_bucket_at_the_same_moment_all_succeed()
    {
        // Each store checks the bucket, then creates it: all but the first creator are told it already exists.
        var bucket = $"created-{Guid.NewGuid():N}"[..40];
        var stores = Enumerable.Range(0, 8).Select(_ => ArtifactStoreFactory.Create($"s3://{bucket}/p/", server.Options())).ToList();
        try
        {
            var puts = await Task.WhenAll(stores.Select((store, i) => store.PutAsync($"k{i}.bin", new MemoryStream([(byte)i]))));
            Assert.Equal(8, puts.Length);
            Assert.True(await _raw.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket)));
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }
    }

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
