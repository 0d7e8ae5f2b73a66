using Minio;
using Whetstone.Artifacts.FileSystem;
using Whetstone.Artifacts.S3;

namespace Whetstone.Artifacts;

/// <summary>Creates artifact stores from URIs: <c>s3://bucket/prefix/</c> and <c>file:///path/</c>.</summary>
public static class ArtifactStoreFactory
{
    /// <summary>A store rooted at <paramref name="rootUri"/> (treated as a folder: keys are relative to it).</summary>
    public static IArtifactStore Create(string rootUri, ArtifactStoreOptions? options = null) => Create(ParseUri(rootUri), options);

    /// <summary>A store rooted at <paramref name="rootUri"/> (treated as a folder: keys are relative to it).</summary>
    public static IArtifactStore Create(Uri rootUri, ArtifactStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rootUri);
        options ??= new ArtifactStoreOptions();
        return rootUri.Scheme switch
        {
            "file" => new FileArtifactStore(rootUri.LocalPath, options),
            "s3" => CreateS3(BucketOf(rootUri), AsFolder(PathOf(rootUri)), options),
            _ => throw new ArgumentException($"artifact URI '{rootUri}': scheme '{rootUri.Scheme}' is not supported (use s3://bucket/prefix/ or file:///path/)", nameof(rootUri)),
        };
    }

    /// <summary>Splits the URI of one artifact into a store and a key.</summary>
    public static ArtifactLocation Resolve(string artifactUri, ArtifactStoreOptions? options = null) => Resolve(ParseUri(artifactUri), options);

    /// <summary>Splits the URI of one artifact into a store and a key.</summary>
    public static ArtifactLocation Resolve(Uri artifactUri, ArtifactStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(artifactUri);
        return artifactUri.Scheme switch
        {
            "file" => new ArtifactLocation(Create(new Uri("file:///"), options), artifactUri.LocalPath.TrimStart('/')),
            "s3" => new ArtifactLocation(Create(new Uri($"s3://{BucketOf(artifactUri)}/"), options), PathOf(artifactUri)),
            _ => throw new ArgumentException($"artifact URI '{artifactUri}': scheme '{artifactUri.Scheme}' is not supported (use s3:// or file://)", nameof(artifactUri)),
        };
    }

    /// <summary>Checks the artifact at <paramref name="artifactUri"/> against a pinned digest; throws <see cref="ArtifactIntegrityException"/> on mismatch.</summary>
    public static async Task<StoredArtifact> VerifyDigestAsync(Uri artifactUri, string expectedDigest, ArtifactStoreOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (store, key) = Resolve(artifactUri, options);
        using (store)
        {
            return await store.VerifyDigestAsync(key, expectedDigest, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Uri ParseUri(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
            ? parsed
            : throw new ArgumentException($"'{uri}' is not an absolute URI (use s3://bucket/prefix/ or file:///path/)", nameof(uri));

    private static string BucketOf(Uri uri) =>
        string.IsNullOrEmpty(uri.Host) ? throw new ArgumentException($"artifact URI '{uri}' has no bucket (s3://bucket/key)", nameof(uri)) : uri.Host;

    private static string PathOf(Uri uri) => Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/');

    private static string AsFolder(string prefix) => prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    private static S3ArtifactStore CreateS3(string bucket, string rootPrefix, ArtifactStoreOptions options)
    {
        var endpoint = options.Endpoint
                       ?? throw new ArgumentException($"S3 endpoint is not set: set {ArtifactStoreOptions.EndpointKey.Environment} or the Secret key '{ArtifactStoreOptions.EndpointKey.SecretKey}'", nameof(options));
        if (options.AccessKey is null || options.SecretKey is null)
        {
            throw new ArgumentException(
                $"S3 credentials are not set: set {ArtifactStoreOptions.AccessKeyKey.Environment} and {ArtifactStoreOptions.SecretKeyKey.Environment} or the Secret keys '{ArtifactStoreOptions.AccessKeyKey.SecretKey}' and '{ArtifactStoreOptions.SecretKeyKey.SecretKey}'",
                nameof(options));
        }

        var (host, port, schemeTls) = ParseEndpoint(endpoint);
        var client = new MinioClient()
            .WithEndpoint(host, port)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithRegion(options.Region)
            .WithSSL(options.UseTls ?? schemeTls ?? true)
            .WithTimeout((int)options.RequestTimeout.TotalMilliseconds)
            .Build();
        return new S3ArtifactStore(client, bucket, rootPrefix, options);
    }

    private static (string Host, int Port, bool? Tls) ParseEndpoint(string endpoint)
    {
        var withScheme = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "none://" + endpoint;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"S3 endpoint '{endpoint}' is not host:port or http(s)://host:port", nameof(endpoint));
        }

        bool? tls = uri.Scheme switch { "https" => true, "http" => false, _ => null };
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls == false ? 80 : 443) : uri.Port;
        return (uri.Host, port, tls);
    }
}
