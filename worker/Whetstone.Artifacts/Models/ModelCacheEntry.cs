namespace Whetstone.Artifacts.Models;

/// <summary>Checks and removes one entry of a <see cref="ModelCache"/> directory.</summary>
internal static class ModelCacheEntry
{
    /// <summary>
    /// Whether <paramref name="path"/> holds the model <paramref name="digest"/> unchanged: its manifest's bytes have
    /// that digest and every file it lists has the listed size and digest. The manifest is always hashed (it is small).
    /// The files are hashed in full only when the entry's check record (<see cref="RecordPathOf"/>, written by the last
    /// full check) does not vouch for them: a file whose size or modification time differs from the record, or was
    /// modified within <see cref="RacyWindow"/> before the record was written (a write in the same clock tick would
    /// keep its time), is hashed again, as git's index does. So a file written, truncated or replaced on disk is
    /// noticed, and a model used again costs a few stats instead of a read of every byte. Returns the bytes hashed
    /// (0 when the record vouched for every file), or null when the entry is missing or does not match.
    /// </summary>
    public static async Task<long?> VerifyAsync(string path, string digest, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var manifestPath = Path.Combine(path, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            return null;
        }

        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(ArtifactDigest.Compute(bytes), digest, StringComparison.Ordinal))
        {
            return null;
        }

        var files = ModelManifest.Parse(bytes, manifestPath).Files;
        var record = CheckRecord.Read(RecordPathOf(path), digest);
        long hashed = 0;
        var checkedFiles = new List<CheckRecord.FileStamp>(files.Count);
        foreach (var file in files)
        {
            var info = new FileInfo(Path.Combine(path, file.Path.Replace('/', Path.DirectorySeparatorChar)));
            if (!info.Exists || info.Length != file.SizeBytes)
            {
                return null;
            }

            var stamp = new CheckRecord.FileStamp(file.Path, info.Length, info.LastWriteTimeUtc.Ticks);
            if (record is null || !record.Vouches(stamp, RacyWindow))
            {
                if (!await HasDigestAsync(info.FullName, file.Digest, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                hashed += info.Length;
            }

            checkedFiles.Add(stamp);
        }

        if (hashed > 0 || record is null)
        {
            CheckRecord.Write(RecordPathOf(path), new CheckRecord(digest, started.Ticks, checkedFiles));
        }

        return hashed;
    }

    /// <summary>How long after its last write a file must have been checked for its check record to vouch for it.</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    /// <summary>Where the check record of the entry at <paramref name="path"/> lives: beside it, never inside the model.</summary>
    public static string RecordPathOf(string path) => path + ".checked.json";

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

        File.Delete(RecordPathOf(path));
        if (Directory.Exists(path))
        {
            // Renamed away first, so no reader ever finds a half-deleted entry under the model's name.
            var doomed = path + ArtifactKeys.TemporaryMarker + Guid.NewGuid().ToString("N");
            Directory.Move(path, doomed);
            Directory.Delete(doomed, recursive: true);
        }
    }

    /// <summary>Records a use: the entry directory's modification time is its last use (what eviction orders by).</summary>
    public static void MarkUsed(string path)
    {
        try
        {
            Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache this worker cannot write to is still usable; its order of eviction is only less exact.
        }
    }

    /// <summary>The bytes of every file under <paramref name="path"/>.</summary>
    public static long SizeOf(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);

    private static async Task<bool> HasDigestAsync(string path, string digest, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return string.Equals(await ArtifactDigest.ComputeAsync(stream, cancellationToken).ConfigureAwait(false), digest, StringComparison.Ordinal);
        }
    }
}
