namespace Whetstone.Artifacts.Models;

/// <summary>
/// A node-local directory of models keyed by digest (<c>&lt;cache&gt;/sha256-&lt;hex&gt;/</c>), so one node downloads a
/// model once, however many workers share the directory. Entries appear by rename only when complete, so a crashed
/// download never looks like a cached model; a lock file per entry makes concurrent workers wait for one download
/// instead of each reading the store; and every use checks the entry against its digest, so a file changed on disk
/// is noticed and the entry fetched again. That check hashes a file only when the record of the last full check does
/// not vouch for its size and modification time (<see cref="ModelCacheEntry.VerifyAsync"/>), so a model used again
/// costs a few stats, not a read of every byte.
/// </summary>
/// <param name="cacheDirectory">The node's cache directory.</param>
/// <param name="maxBytes">
/// The cache's bound: after a download that takes it over, entries are removed least recently used first until it fits
/// again. Unbounded when null.
/// </param>
/// <param name="minimumIdle">
/// An entry used more recently than this is never removed, even over the bound: a worker on the node may be loading it
/// (10 minutes when null).
/// </param>
public sealed class ModelCache(string cacheDirectory, long? maxBytes = null, TimeSpan? minimumIdle = null)
{
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long after its last use an entry may be removed to keep the cache within its bound, unless set.</summary>
    public static readonly TimeSpan DefaultMinimumIdle = TimeSpan.FromMinutes(10);

    /// <summary>The cache's directory.</summary>
    public string CacheDirectory { get; } = Path.GetFullPath(cacheDirectory);

    /// <summary>Where the model with <paramref name="digest"/> lives in the cache.</summary>
    public string PathOf(string digest) => Path.Combine(CacheDirectory, ArtifactDigest.ToPathSegment(digest));

    /// <summary>
    /// Returns the cached copy of the model under <paramref name="prefix"/>, downloading and verifying it first if
    /// needed. With <paramref name="expectedDigest"/> set and already cached, the store is not contacted at all; while
    /// another worker downloads the same digest, this one waits for it and then uses its copy.
    /// </summary>
    public async Task<CachedModel> GetAsync(IArtifactStore store, string prefix, string? expectedDigest = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var digest = expectedDigest is null ? null : ArtifactDigest.Require(expectedDigest, nameof(expectedDigest));
        (StoredModel Model, byte[] ManifestBytes)? read = null;
        if (digest is null)
        {
            read = await ModelDirectories.ReadManifestAsync(store, prefix, null, cancellationToken).ConfigureAwait(false);
            digest = read.Value.Model.Digest;
        }

        var path = PathOf(digest);
        CachedModel Hit(long hashed)
        {
            ModelCacheEntry.MarkUsed(path);
            return new CachedModel(path, digest, CacheHit: true, hashed);
        }

        if (await ModelCacheEntry.VerifyAsync(path, digest, cancellationToken).ConfigureAwait(false) is { } hashed)
        {
            return Hit(hashed);
        }

        Directory.CreateDirectory(CacheDirectory);
        using var entryLock = await AcquireLockAsync(path + ".lock", cancellationToken).ConfigureAwait(false);
        if (await ModelCacheEntry.VerifyAsync(path, digest, cancellationToken).ConfigureAwait(false) is { } hashedAfterWait)
        {
            return Hit(hashedAfterWait);
        }

        read ??= await ModelDirectories.ReadManifestAsync(store, prefix, digest, cancellationToken).ConfigureAwait(false);
        ModelCacheEntry.Remove(path);
        try
        {
            await ModelDirectories.DownloadFilesAsync(store, prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/", read.Value.Model,
                read.Value.ManifestBytes, path, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (Directory.Exists(path))
        {
            // The rename lost to a worker that ignores the lock (a file system without locks); its copy is as good as
            // ours once it passes the same digest check.
            if (await ModelCacheEntry.VerifyAsync(path, digest, cancellationToken).ConfigureAwait(false) is not { } hashedTheirs)
            {
                throw;
            }

            return Hit(hashedTheirs);
        }

        ModelCacheEntry.MarkUsed(path);
        return new CachedModel(path, digest, CacheHit: false, BytesHashedToCheck: 0, Eviction: EvictBeyondBound(keep: path));
    }

    /// <summary>
    /// Brings the cache within <c>maxBytes</c> by removing entries least recently used first, never
    /// <paramref name="keep"/>, never one used within the minimum idle time, and never one whose lock another worker
    /// holds (it is being downloaded or checked). Null when the cache has no bound.
    /// </summary>
    private CacheEviction? EvictBeyondBound(string keep)
    {
        if (maxBytes is not { } bound)
        {
            return null;
        }

        var entries = Directory.EnumerateDirectories(CacheDirectory, "sha256-*")
            .Where(entry => !Path.GetFileName(entry).Contains(ArtifactKeys.TemporaryMarker, StringComparison.Ordinal))
            .Select(entry => (Path: entry, Bytes: ModelCacheEntry.SizeOf(entry), LastUse: Directory.GetLastWriteTimeUtc(entry)))
            .ToList();
        var total = entries.Sum(entry => entry.Bytes);
        var idleSince = DateTime.UtcNow - (minimumIdle ?? DefaultMinimumIdle);
        var removed = new List<string>();
        foreach (var entry in entries.Where(e => e.Path != keep && e.LastUse <= idleSince).OrderBy(e => e.LastUse))
        {
            if (total <= bound)
            {
                break;
            }

            using var entryLock = TryLock(entry.Path + ".lock");
            if (entryLock is null)
            {
                continue;
            }

            ModelCacheEntry.Remove(entry.Path);
            total -= entry.Bytes;
            removed.Add(Path.GetFileName(entry.Path));
        }

        return new CacheEviction(removed, total, bound);
    }

    private static FileStream? TryLock(string lockPath)
    {
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    // An exclusive open is an advisory flock on Linux: released by the kernel when the holder dies, even by SIGKILL.
    // Lock files are never deleted, since deleting one lets two holders lock two different files.
    private static async Task<FileStream> AcquireLockAsync(string lockPath, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                await Task.Delay(LockPollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
