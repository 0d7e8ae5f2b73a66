using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Whetstone.Artifacts.Integrity;

namespace Whetstone.Artifacts;

/// <summary>
/// The write-once, verify-on-read protocol shared by every backend, written once over a handful of raw object
/// operations that each backend implements.
/// </summary>
/// <remarks>
/// A put reads a head of up to <see cref="ArtifactStoreOptions.SmallObjectThresholdBytes"/>. If the content ends
/// there, its digest is known at once and it is written to its final key in one atomic write. Otherwise it streams to
/// a temporary key beside the final one while hashing, and only then is the final key checked, the sidecar written
/// and the temporary committed (file: rename that refuses to replace; S3: server-side copy). The final key therefore
/// appears only with complete content whose sidecar is already in place. The backends make that last write
/// exclusive (file: a hard link that refuses to replace; S3: <c>If-None-Match: *</c>), so of two writers racing for one
/// key with different content exactly one wins and the other gets <see cref="ArtifactExistsException"/>.
/// </remarks>
public abstract class ArtifactStore(Uri root, ArtifactStoreOptions options) : IArtifactStore
{
    /// <summary>Settings the store was created with.</summary>
    protected ArtifactStoreOptions Options { get; } = options;

    /// <inheritdoc />
    public Uri Root { get; } = root;

    /// <inheritdoc />
    public Uri GetUri(string key) => new(Root.AbsoluteUri + key);

    /// <inheritdoc />
    public Task<StoredArtifact> PutAsync(string key, Stream content, string contentType = "application/octet-stream",
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        return PutCoreAsync(key, _ => key, content, contentType, progress, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredArtifact> PutContentAddressedAsync(string stagingKey, Func<string, string> keyForDigest, Stream content,
        string contentType = "application/octet-stream", IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(stagingKey, nameof(stagingKey));
        ArgumentNullException.ThrowIfNull(keyForDigest);
        return PutCoreAsync(stagingKey, keyForDigest, content, contentType, progress, cancellationToken);
    }

    private async Task<StoredArtifact> PutCoreAsync(string stagingKey, Func<string, string> keyForDigest, Stream content,
        string contentType, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        long? remaining = content.CanSeek ? content.Length - content.Position : null;
        var threshold = Options.SmallObjectThresholdBytes;
        var head = ArrayPool<byte>.Shared.Rent(threshold + 1);
        try
        {
            var headLength = await content.ReadAtLeastAsync(head.AsMemory(0, threshold + 1), threshold + 1,
                throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (headLength <= threshold)
            {
                var stored = await PutSmallCoreAsync(keyForDigest, head.AsMemory(0, headLength), contentType, cancellationToken).ConfigureAwait(false);
                progress?.Report(headLength);
                return stored;
            }

            var whole = new PrefixedReadStream(head.AsMemory(0, headLength), content);
            return await PutLargeCoreAsync(stagingKey, keyForDigest, whole, remaining, contentType, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private async Task<StoredArtifact> PutSmallCoreAsync(Func<string, string> keyForDigest, ReadOnlyMemory<byte> content,
        string contentType, CancellationToken cancellationToken)
    {
        var digest = ArtifactDigest.Compute(content.Span);
        var key = ArtifactKeys.Validate(keyForDigest(digest));
        if (await StatAsync(key, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return AcceptExisting(existing, digest);
        }

        await WriteSidecarAsync(key, digest, content.Length, contentType, cancellationToken).ConfigureAwait(false);
        if (!await PutSmallObjectAsync(key, content, contentType, cancellationToken).ConfigureAwait(false))
        {
            return await AcceptRacingWriterAsync(key, digest, contentType, cancellationToken).ConfigureAwait(false);
        }

        return new StoredArtifact(GetUri(key), digest, content.Length, contentType);
    }

    private async Task<StoredArtifact> PutLargeCoreAsync(string stagingKey, Func<string, string> keyForDigest, Stream content,
        long? length, string contentType, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var temporaryKey = ArtifactKeys.TemporaryFor(stagingKey);
        using var hashing = new HashingReadStream(content, progress);
        try
        {
            try
            {
                await WriteTemporaryAsync(temporaryKey, hashing, length, contentType, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (hashing.SourceFailure is { } sourceFailure)
            {
                // The backend may have wrapped it; the caller must see its own stream's error, not a store error.
                ExceptionDispatchInfo.Throw(sourceFailure);
            }

            var digest = hashing.FinishDigest();
            var key = ArtifactKeys.Validate(keyForDigest(digest));
            if (await StatAsync(key, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return AcceptExisting(existing, digest);
            }

            await WriteSidecarAsync(key, digest, hashing.BytesRead, contentType, cancellationToken).ConfigureAwait(false);
            if (!await CommitAsync(temporaryKey, key, hashing.BytesRead, cancellationToken).ConfigureAwait(false))
            {
                return await AcceptRacingWriterAsync(key, digest, contentType, cancellationToken).ConfigureAwait(false);
            }

            return new StoredArtifact(GetUri(key), digest, hashing.BytesRead, contentType);
        }
        finally
        {
            await DeleteQuietlyAsync(temporaryKey).ConfigureAwait(false);
        }
    }

    private Task WriteSidecarAsync(string key, string digest, long size, string contentType, CancellationToken cancellationToken) =>
        WriteSidecarBytesAsync(ArtifactKeys.SidecarOf(key),
            new ArtifactSidecar(digest, size, contentType, DateTimeOffset.UtcNow).ToJsonBytes(), cancellationToken);

    private static StoredArtifact AcceptExisting(StoredArtifact existing, string digest) =>
        string.Equals(existing.Digest, digest, StringComparison.Ordinal)
            ? existing
            : throw new ArtifactExistsException(existing.Uri, existing.Digest, digest);

    /// <summary>
    /// Our commit lost: another writer published the key first. Its sidecar may have been overwritten by ours (both
    /// were written before the commits), so the published bytes themselves are hashed, the sidecar is rewritten from
    /// them, and this writer is told success only when it wrote the same content.
    /// </summary>
    private async Task<StoredArtifact> AcceptRacingWriterAsync(string key, string digest, string contentType, CancellationToken cancellationToken)
    {
        var published = await OpenObjectAsync(key, 0, null, cancellationToken).ConfigureAwait(false)
                        ?? throw new ArtifactStoreException(GetUri(key), $"{GetUri(key)} was taken by another writer and then removed");
        string actual;
        long size;
        await using (published.ConfigureAwait(false))
        {
            var counting = new HashingReadStream(published, progress: null);
            await using (counting.ConfigureAwait(false))
            {
                await counting.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                actual = counting.FinishDigest();
                size = counting.BytesRead;
            }
        }

        await WriteSidecarAsync(key, actual, size, contentType, cancellationToken).ConfigureAwait(false);
        return string.Equals(actual, digest, StringComparison.Ordinal)
            ? new StoredArtifact(GetUri(key), digest, size, contentType)
            : throw new ArtifactExistsException(GetUri(key), actual, digest);
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            await DeleteObjectAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a leftover temporary is harmless and removed by CleanupAsync; the original error matters more
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        var uri = GetUri(key);
        var stream = await OpenObjectAsync(key, 0, null, cancellationToken).ConfigureAwait(false)
                     ?? throw new ArtifactNotFoundException(uri);
        try
        {
            var sidecar = await ReadSidecarAsync(key, cancellationToken).ConfigureAwait(false)
                          ?? throw MissingSidecar(uri, key);
            return new VerifyingReadStream(stream, uri, sidecar.Digest, sidecar.SizeBytes);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadRangeAsync(string key, long offset, long length, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return await OpenObjectAsync(key, offset, length, cancellationToken).ConfigureAwait(false)
               ?? throw new ArtifactNotFoundException(GetUri(key));
    }

    /// <inheritdoc />
    public async Task<StoredArtifact?> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        if (await StatObjectAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var sidecar = await ReadSidecarAsync(key, cancellationToken).ConfigureAwait(false) ?? throw MissingSidecar(GetUri(key), key);
        return new StoredArtifact(GetUri(key), sidecar.Digest, sidecar.SizeBytes, sidecar.ContentType);
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        return await StatObjectAsync(key, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArtifactKeys.ValidatePrefix(prefix);
        await foreach (var entry in ListObjectsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!ArtifactKeys.IsBookkeeping(entry.Key))
            {
                yield return new ArtifactInfo(entry.Key, GetUri(entry.Key), entry.SizeBytes, entry.LastModified);
            }
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(key);
        await DeleteObjectAsync(key, cancellationToken).ConfigureAwait(false);
        await DeleteObjectAsync(ArtifactKeys.SidecarOf(key), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public abstract Task<Uri> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public async Task<StoredArtifact> CopyAsync(string sourceKey, string destinationKey, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.Validate(destinationKey, nameof(destinationKey));
        var source = await StatAsync(ArtifactKeys.Validate(sourceKey, nameof(sourceKey)), cancellationToken).ConfigureAwait(false)
                     ?? throw new ArtifactNotFoundException(GetUri(sourceKey));
        var content = await OpenReadAsync(sourceKey, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            // The verifying stream throws on its last read if the source is corrupt, before the copy is committed.
            return await PutAsync(destinationKey, content, source.ContentType, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<StoredArtifact> VerifyDigestAsync(string key, string expectedDigest, CancellationToken cancellationToken = default)
    {
        ArtifactDigest.Require(expectedDigest, nameof(expectedDigest));
        var stored = await StatAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ArtifactNotFoundException(GetUri(key));
        var content = await OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            await content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        return string.Equals(stored.Digest, expectedDigest, StringComparison.Ordinal)
            ? stored
            : throw new ArtifactIntegrityException(stored.Uri, expectedDigest, stored.Digest);
    }

    /// <inheritdoc />
    public async Task<CleanupReport> CleanupAsync(string prefix, TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        ArtifactKeys.ValidatePrefix(prefix);
        var cutoff = DateTimeOffset.UtcNow - olderThan;
        var artifacts = new HashSet<string>(StringComparer.Ordinal);
        var sidecars = new List<StoredObject>();
        var temporaries = new List<string>();
        await foreach (var entry in ListObjectsAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Key.Contains(ArtifactKeys.TemporaryMarker, StringComparison.Ordinal))
            {
                if (entry.LastModified <= cutoff)
                {
                    temporaries.Add(entry.Key);
                }
            }
            else if (entry.Key.EndsWith(ArtifactKeys.SidecarSuffix, StringComparison.Ordinal))
            {
                sidecars.Add(entry);
            }
            else
            {
                artifacts.Add(entry.Key);
            }
        }

        var orphans = sidecars
            .Where(s => s.LastModified <= cutoff && !artifacts.Contains(s.Key[..^ArtifactKeys.SidecarSuffix.Length]))
            .Select(s => s.Key)
            .ToList();
        foreach (var key in temporaries.Concat(orphans))
        {
            await DeleteObjectAsync(key, cancellationToken).ConfigureAwait(false);
        }

        var (aborted, notes) = await AbortIncompleteUploadsAsync(prefix, cutoff, cancellationToken).ConfigureAwait(false);
        return new CleanupReport(temporaries.Count, orphans.Count, aborted, notes);
    }

    private async Task<ArtifactSidecar?> ReadSidecarAsync(string key, CancellationToken cancellationToken)
    {
        var bytes = await ReadSmallObjectAsync(ArtifactKeys.SidecarOf(key), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : ArtifactSidecar.Parse(bytes, GetUri(ArtifactKeys.SidecarOf(key)));
    }

    private static ArtifactIntegrityException MissingSidecar(Uri uri, string key) =>
        new(uri, $"a sidecar manifest {ArtifactKeys.SidecarOf(key)}", "none (not written through Whetstone's artifact store, or its sidecar was removed)");

    /// <summary>Writes a whole small object to its final key in one atomic step; false when the key already exists.</summary>
    protected abstract Task<bool> PutSmallObjectAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Streams <paramref name="content"/> to a temporary key until it ends.</summary>
    protected abstract Task WriteTemporaryAsync(string temporaryKey, Stream content, long? length, string contentType, CancellationToken cancellationToken);

    /// <summary>Makes a completed temporary visible at <paramref name="key"/>; false, and nothing replaced, when the key exists.</summary>
    protected abstract Task<bool> CommitAsync(string temporaryKey, string key, long sizeBytes, CancellationToken cancellationToken);

    /// <summary>Writes (or replaces) a sidecar atomically.</summary>
    protected abstract Task WriteSidecarBytesAsync(string sidecarKey, byte[] content, CancellationToken cancellationToken);

    /// <summary>Reads a small object whole; null when missing.</summary>
    protected abstract Task<byte[]?> ReadSmallObjectAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens an object, or a range of it; null when missing.</summary>
    protected abstract Task<Stream?> OpenObjectAsync(string key, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>Size and time of an object; null when missing.</summary>
    protected abstract Task<StoredObject?> StatObjectAsync(string key, CancellationToken cancellationToken);

    /// <summary>Every raw object under a prefix in ordinal key order, bookkeeping included.</summary>
    protected abstract IAsyncEnumerable<StoredObject> ListObjectsAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes an object; a missing one is not an error.</summary>
    protected abstract Task DeleteObjectAsync(string key, CancellationToken cancellationToken);

    /// <summary>Aborts incomplete uploads under a prefix started before <paramref name="cutoff"/>.</summary>
    protected virtual Task<(int Aborted, IReadOnlyList<string> Notes)> AbortIncompleteUploadsAsync(string prefix, DateTimeOffset cutoff,
        CancellationToken cancellationToken) => Task.FromResult<(int, IReadOnlyList<string>)>((0, []));

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases clients held by the backend.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
