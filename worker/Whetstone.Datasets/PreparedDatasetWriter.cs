namespace Whetstone.Datasets;

/// <summary>
/// Writes a prepared version to a directory (train.jsonl, validation.jsonl, test.jsonl, report.json,
/// manifest.json) atomically: everything goes to a temporary sibling directory that is renamed into place, so a
/// reader sees either nothing or the complete version. An existing directory is never overwritten: when it already
/// holds the same digest the write succeeds without touching it, otherwise it fails.
/// </summary>
public static class PreparedDatasetWriter
{
    /// <summary>File name of the manifest in a prepared directory.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>File name of the report in a prepared directory.</summary>
    public const string ReportFileName = "report.json";

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="directory"/>; returns the dataset digest.</summary>
    public static async Task<string> WriteAsync(PreparedDataset dataset, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(directory);
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(target))
        {
            return await ExistingDigestMatchesAsync(target, dataset, cancellationToken).ConfigureAwait(false);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = $"{target}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(temporary);
        try
        {
            foreach (var split in dataset.Splits)
            {
                await WriteFileAsync(Path.Combine(temporary, split.FileName), split.WriteJsonl, cancellationToken).ConfigureAwait(false);
            }

            await WriteFileAsync(Path.Combine(temporary, ReportFileName), stream => stream.Write(dataset.ReportJson()), cancellationToken).ConfigureAwait(false);
            await WriteFileAsync(Path.Combine(temporary, ManifestFileName), stream => stream.Write(dataset.Manifest.Span), cancellationToken).ConfigureAwait(false);
            try
            {
                Directory.Move(temporary, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another writer won the race; fine if it wrote the same version.
                return await ExistingDigestMatchesAsync(target, dataset, cancellationToken).ConfigureAwait(false);
            }

            return dataset.Digest;
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static async Task<string> ExistingDigestMatchesAsync(string target, PreparedDataset dataset, CancellationToken cancellationToken)
    {
        var manifestPath = Path.Combine(target, ManifestFileName);
        var existing = File.Exists(manifestPath)
            ? DatasetManifest.DigestOf(await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false))
            : "none";
        return existing == dataset.Digest
            ? existing
            : throw new IOException($"{target} already exists and holds a different dataset version ({existing}, not {dataset.Digest}); prepared versions are never overwritten");
    }

    private static async Task WriteFileAsync(string path, Action<Stream> write, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        await using (stream.ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            write(stream);
            stream.Flush(flushToDisk: true);
        }
    }
}
