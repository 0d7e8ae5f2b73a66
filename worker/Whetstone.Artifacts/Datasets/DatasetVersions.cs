namespace Whetstone.Artifacts.Datasets;

/// <summary>
/// Immutable dataset versions addressed by their digest: <c>&lt;prefix&gt;/datasets/sha256-&lt;hex&gt;/&lt;file name&gt;</c>.
/// Putting the same bytes again returns the same version; a version can never change.
/// </summary>
public static class DatasetVersions
{
    /// <summary>Folder under a prefix that holds dataset versions.</summary>
    public const string Folder = "datasets";

    /// <summary>The key of the version with <paramref name="digest"/>.</summary>
    public static string KeyOf(string prefix, string digest, string fileName) =>
        $"{Normalize(prefix)}{Folder}/{ArtifactDigest.ToPathSegment(digest)}/{RequireFileName(fileName)}";

    /// <summary>Stores <paramref name="content"/> as a dataset version and returns where it landed.</summary>
    public static Task<StoredArtifact> PutDatasetVersionAsync(this IArtifactStore store, string prefix, string fileName, Stream content,
        string contentType = "application/octet-stream", IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var staging = $"{Normalize(prefix)}{Folder}/{RequireFileName(fileName)}";
        return store.PutContentAddressedAsync(staging, digest => KeyOf(prefix, digest, fileName), content, contentType, progress, cancellationToken);
    }

    private static string Normalize(string prefix) => prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    private static string RequireFileName(string fileName) =>
        string.IsNullOrWhiteSpace(fileName) || fileName.Contains('/', StringComparison.Ordinal) || fileName is "." or ".."
            ? throw new ArgumentException($"dataset file name '{fileName}' must be a single path segment", nameof(fileName))
            : fileName;
}
