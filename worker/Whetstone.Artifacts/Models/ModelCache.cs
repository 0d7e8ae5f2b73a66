namespace Whetstone.Artifacts.Models;

/// <summary>
/// A node-local directory of models keyed by digest (<c>&lt;cache&gt;/sha256-&lt;hex&gt;/</c>), so one node downloads a
/// model once. Entries appear by rename only when complete, so a crashed download never looks like a cached model.
/// </summary>
public sealed class ModelCache(string cacheDirectory)
{
    /// <summary>The cache's directory.</summary>
    public string CacheDirectory { get; } = Path.GetFullPath(cacheDirectory);

    /// <summary>Where the model with <paramref name="digest"/> lives in the cache.</summary>
    public string PathOf(string digest) => Path.Combine(CacheDirectory, ArtifactDigest.ToPathSegment(digest));

    /// <summary>
    /// Returns the cached copy of the model under <paramref name="prefix"/>, downloading and verifying it first if
    /// needed. With <paramref name="expectedDigest"/> set and already cached, the store is not contacted at all.
    /// </summary>
    public async Task<CachedModel> GetAsync(IArtifactStore store, string prefix, string? expectedDigest = null, CancellationToken cancellationToken = default)
    {
        if (expectedDigest is not null && IsComplete(PathOf(ArtifactDigest.Require(expectedDigest, nameof(expectedDigest)))))
        {
            return new CachedModel(PathOf(expectedDigest), expectedDigest, CacheHit: true);
        }

        var (model, manifestBytes) = await ModelDirectories.ReadManifestAsync(store, prefix, expectedDigest, cancellationToken).ConfigureAwait(false);
        var path = PathOf(model.Digest);
        if (IsComplete(path))
        {
            return new CachedModel(path, model.Digest, CacheHit: true);
        }

        Directory.CreateDirectory(CacheDirectory);
        try
        {
            await ModelDirectories.DownloadFilesAsync(store, prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/", model, manifestBytes, path,
                cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (IsComplete(path))
        {
            // Another process on this node finished the same model first; its copy is as good as ours.
            return new CachedModel(path, model.Digest, CacheHit: true);
        }

        return new CachedModel(path, model.Digest, CacheHit: false);
    }

    private static bool IsComplete(string path) => File.Exists(Path.Combine(path, ModelManifest.FileName));
}
