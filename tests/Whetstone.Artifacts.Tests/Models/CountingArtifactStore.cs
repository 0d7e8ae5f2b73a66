namespace Whetstone.Artifacts.Tests.Models;

/// <summary>
/// A real store with every whole-artifact read counted per key; reads of <see cref="GatedKey"/> may be held at
/// <see cref="ReadGate"/> so a test can line up concurrent callers.
/// </summary>
public sealed class CountingArtifactStore(IArtifactStore inner) : IArtifactStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);

    /// <summary>The key whose reads wait at <see cref="ReadGate"/>; none when null.</summary>
    public string? GatedKey { get; set; }

    /// <summary>Awaited by every read of <see cref="GatedKey"/> before it reaches the store.</summary>
    public Task ReadGate { get; set; } = Task.CompletedTask;

    /// <summary>Completes when the first read of <see cref="GatedKey"/> arrives.</summary>
    public TaskCompletionSource GatedReadArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many times <paramref name="key"/> was opened for a whole read.</summary>
    public int ReadsOf(string key) => _reads.GetValueOrDefault(key);

    /// <summary>All whole reads so far.</summary>
    public int TotalReads => _reads.Values.Sum();

    public Uri Root => inner.Root;

    public Uri GetUri(string key) => inner.GetUri(key);

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        _reads.AddOrUpdate(key, 1, (_, count) => count + 1);
        if (string.Equals(key, GatedKey, StringComparison.Ordinal))
        {
            GatedReadArrived.TrySetResult();
            await ReadGate.WaitAsync(cancellationToken);
        }

        return await inner.OpenReadAsync(key, cancellationToken);
    }

    public Task<StoredArtifact> PutAsync(string key, Stream content, string contentType = "application/octet-stream", IProgress<long>? progress = null,
        CancellationToken cancellationToken = default) => inner.PutAsync(key, content, contentType, progress, cancellationToken);

    public Task<StoredArtifact> PutContentAddressedAsync(string stagingKey, Func<string, string> keyForDigest, Stream content,
        string contentType = "application/octet-stream", IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        inner.PutContentAddressedAsync(stagingKey, keyForDigest, content, contentType, progress, cancellationToken);

    public Task<Stream> OpenReadRangeAsync(string key, long offset, long length, CancellationToken cancellationToken = default) =>
        inner.OpenReadRangeAsync(key, offset, length, cancellationToken);

    public Task<StoredArtifact?> StatAsync(string key, CancellationToken cancellationToken = default) => inner.StatAsync(key, cancellationToken);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

    public IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public Task<Uri> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) => inner.GetReadUrlAsync(key, expiry, cancellationToken);

    public Task<StoredArtifact> CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken = default) =>
        inner.CopyAsync(sourceKey, destinationKey, cancellationToken);

    public Task<StoredArtifact> VerifyDigestAsync(string key, string expectedDigest, CancellationToken cancellationToken = default) =>
        inner.VerifyDigestAsync(key, expectedDigest, cancellationToken);

    public Task<CleanupReport> CleanupAsync(string prefix, TimeSpan olderThan, CancellationToken cancellationToken = default) =>
        inner.CleanupAsync(prefix, olderThan, cancellationToken);

    public void Dispose() => inner.Dispose();
}
