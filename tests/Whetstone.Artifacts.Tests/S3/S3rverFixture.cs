namespace Whetstone.Artifacts.Tests.S3;

/// <summary>One s3rver per test class; stores get fresh prefixes so tests never see each other's keys.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "whetstone-tests";
    private readonly S3rverProcess _server = new();

    public int Port => _server.Port;

    public ArtifactStoreOptions Options(string accessKey = "S3RVER", string secretKey = "S3RVER") => new()
    {
        Endpoint = _server.Endpoint,
        AccessKey = accessKey,
        SecretKey = secretKey,
        CreateBucketIfMissing = true,
        MaxRetryAttempts = 12,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromSeconds(2),
    };

    public IArtifactStore CreateStore(ArtifactStoreOptions? options = null) =>
        ArtifactStoreFactory.Create($"s3://{Bucket}/t-{Guid.NewGuid():N}/", options ?? Options());

    /// <summary>The file s3rver keeps an object's bytes in.</summary>
    public string ObjectFile(IArtifactStore store, string key)
    {
        var objectName = Uri.UnescapeDataString(store.GetUri(key).AbsolutePath).TrimStart('/');
        return Path.Combine(_server.DataDirectory, Bucket, objectName.Replace('/', Path.DirectorySeparatorChar) + "._S3rver_object");
    }

    public Task StartAsync() => _server.StartAsync();

    public Task StopAsync() => _server.StopAsync();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();
}
