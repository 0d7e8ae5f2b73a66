namespace Whetstone.Artifacts.Models;

/// <summary>Checks and removes one entry of a <see cref="ModelCache"/> directory.</summary>
internal static class ModelCacheEntry
{
    /// <summary>
    /// Whether <paramref name="path"/> holds the model <paramref name="digest"/> unchanged: its manifest's bytes have
    /// that digest and every file it lists has the listed size and digest. Reads the whole model; that costs one
    /// local read per use and is what notices a file changed or truncated on disk.
    /// </summary>
    public static async Task<bool> IsVerifiedAsync(string path, string digest, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(path, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            return false;
        }

        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(ArtifactDigest.Compute(bytes), digest, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var file in ModelManifest.Parse(bytes, manifestPath).Files)
        {
            if (!await IsFileVerifiedAsync(Path.Combine(path, file.Path.Replace('/', Path.DirectorySeparatorChar)), file, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Removes the entry at <paramref name="path"/> (a corrupted one) and the staging folders crashed downloads of it
    /// left beside it. Call it only while holding the entry's lock.
    /// </summary>
    public static void Remove(string path)
    {
        var parent = Path.GetDirectoryName(path)!;
        var stagingPrefix = Path.GetFileName(path) + ArtifactKeys.TemporaryMarker;
        foreach (var staging in Directory.EnumerateDirectories(parent, stagingPrefix + "*"))
        {
            Directory.Delete(staging, recursive: true);
        }

        if (Directory.Exists(path))
        {
            // Renamed away first, so no reader ever finds a half-deleted entry under the model's name.
            var doomed = path + ArtifactKeys.TemporaryMarker + Guid.NewGuid().ToString("N");
            Directory.Move(path, doomed);
            Directory.Delete(doomed, recursive: true);
        }
    }

    private static async Task<bool> IsFileVerifiedAsync(string path, ModelFile file, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length != file.SizeBytes)
        {
            return false;
        }

        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return string.Equals(await ArtifactDigest.ComputeAsync(stream, cancellationToken).ConfigureAwait(false), file.Digest, StringComparison.Ordinal);
        }
    }
}
