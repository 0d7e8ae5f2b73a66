namespace Whetstone.Artifacts;

/// <summary>
/// A content-addressed, write-once artifact store rooted at one location (<c>s3://bucket/prefix/</c> or
/// <c>file:///dir/</c>). Keys are relative to that root and use '/'. Every put records a <c>sha256:</c> digest;
/// every full read verifies it; nothing is ever overwritten or visible half-written.
/// </summary>
public interface IArtifactStore : IDisposable
{
    /// <summary>The store's root, ending in '/'.</summary>
    Uri Root { get; }

    /// <summary>The full URI of <paramref name="key"/>.</summary>
    Uri GetUri(string key);

    /// <summary>
    /// Streams <paramref name="content"/> to <paramref name="key"/>, computing its digest on the way; the artifact
    /// becomes visible only once complete. If the key exists with identical content the existing artifact is returned
    /// (an idempotent retry); with different content <see cref="ArtifactExistsException"/> is thrown.
    /// </summary>
    /// <param name="key">Destination key.</param>
    /// <param name="content">Any readable stream, of any size; read once, never buffered whole.</param>
    /// <param name="contentType">Media type to record.</param>
    /// <param name="progress">Receives the number of bytes read from <paramref name="content"/> so far.</param>
    /// <param name="cancellationToken">Cancels the upload; nothing becomes visible.</param>
    Task<StoredArtifact> PutAsync(string key, Stream content, string contentType = "application/octet-stream",
        IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> at a key derived from its own digest (<paramref name="keyForDigest"/>), for
    /// immutable, digest-addressed data such as dataset versions. <paramref name="stagingKey"/> names where the
    /// temporary upload goes.
    /// </summary>
    Task<StoredArtifact> PutContentAddressedAsync(string stagingKey, Func<string, string> keyForDigest, Stream content,
        string contentType = "application/octet-stream", IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Opens the whole artifact; reading to the end verifies size and digest (throws <see cref="ArtifactIntegrityException"/>).</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Opens <paramref name="length"/> bytes from <paramref name="offset"/>; ranged reads are not digest-verified.</summary>
    Task<Stream> OpenReadRangeAsync(string key, long offset, long length, CancellationToken cancellationToken = default);

    /// <summary>The artifact's digest, size and type, or null when it does not exist.</summary>
    Task<StoredArtifact?> StatAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Whether a completed artifact exists at <paramref name="key"/>.</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Artifacts whose key starts with <paramref name="prefix"/>, in key order, fetched page by page.</summary>
    IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the artifact and its sidecar; deleting a missing key does nothing.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// A URL a plain HTTP client can GET without credentials (S3); the file store returns the <c>file://</c> URI,
    /// which is readable only on the same machine.
    /// </summary>
    Task<Uri> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <summary>Copies an artifact to a new key, verifying the source's digest on the way; never overwrites.</summary>
    Task<StoredArtifact> CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the whole artifact and checks it against its sidecar and against <paramref name="expectedDigest"/>
    /// (a pin); throws <see cref="ArtifactIntegrityException"/> on any mismatch.
    /// </summary>
    Task<StoredArtifact> VerifyDigestAsync(string key, string expectedDigest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes what interrupted writes under <paramref name="prefix"/> left behind (temporaries, orphan sidecars,
    /// incomplete multipart uploads) that are older than <paramref name="olderThan"/>; call it at the start of a run.
    /// </summary>
    Task<CleanupReport> CleanupAsync(string prefix, TimeSpan olderThan, CancellationToken cancellationToken = default);
}
