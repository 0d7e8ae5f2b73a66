using Whetstone.Artifacts.Integrity;

namespace Whetstone.Artifacts.Models;

/// <summary>
/// Uploads and downloads a model directory as one unit. Files go first, <c>manifest.json</c> last, so a model whose
/// manifest is visible is complete; a download verifies every file against both its sidecar and the manifest and
/// appears in its destination only when all files are in place (written beside it, then renamed).
/// </summary>
public static class ModelDirectories
{
    private const int CopyBufferBytes = 1024 * 1024;

    /// <summary>Uploads every file of <paramref name="localDirectory"/> under <paramref name="prefix"/>, then its manifest.</summary>
    public static async Task<StoredModel> UploadAsync(IArtifactStore store, string prefix, string localDirectory, ModelProvenance provenance,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(provenance);
        prefix = AsFolder(prefix);
        var paths = ListModelFiles(localDirectory, provenance.Format);
        var files = new List<ModelFile>(paths.Count);
        long uploaded = 0;
        foreach (var path in paths)
        {
            var file = new FileStream(Path.Combine(localDirectory, path), FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferBytes);
            await using (file.ConfigureAwait(false))
            {
                var offset = uploaded;
                var fileProgress = progress is null ? null : new OffsetProgress(progress, offset);
                var storedFile = await store.PutAsync(prefix + path, file, ContentTypeOf(path), fileProgress, cancellationToken).ConfigureAwait(false);
                files.Add(new ModelFile(path, storedFile.Digest, storedFile.SizeBytes));
                uploaded += storedFile.SizeBytes;
            }
        }

        var manifest = new ModelManifest
        {
            Format = provenance.Format,
            Producer = provenance.Producer,
            SourceModelDigest = provenance.SourceModelDigest is null ? null : ArtifactDigest.Require(provenance.SourceModelDigest, "sourceModelDigest"),
            DatasetDigest = provenance.DatasetDigest is null ? null : ArtifactDigest.Require(provenance.DatasetDigest, "datasetDigest"),
            Parameters = provenance.Parameters ?? new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(),
            CreatedAt = DateTimeOffset.UtcNow,
            Files = files,
        };
        var bytes = manifest.ToJsonBytes();
        var stored = await store.PutAsync(prefix + ModelManifest.FileName, new MemoryStream(bytes), "application/json", null, cancellationToken)
            .ConfigureAwait(false);
        return new StoredModel(store.GetUri(prefix), stored.Digest, uploaded + bytes.Length, manifest);
    }

    /// <summary>Reads and checks a stored model's manifest; <paramref name="expectedDigest"/> pins the model.</summary>
    public static async Task<(StoredModel Model, byte[] ManifestBytes)> ReadManifestAsync(IArtifactStore store, string prefix, string? expectedDigest,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        prefix = AsFolder(prefix);
        var key = prefix + ModelManifest.FileName;
        byte[] bytes;
        var content = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }

        var digest = ArtifactDigest.Compute(bytes);
        if (expectedDigest is not null && !string.Equals(ArtifactDigest.Require(expectedDigest, nameof(expectedDigest)), digest, StringComparison.Ordinal))
        {
            throw new ArtifactIntegrityException(store.GetUri(key), expectedDigest, digest);
        }

        var manifest = ModelManifest.Parse(bytes, store.GetUri(key).ToString());
        var size = manifest.Files.Sum(f => f.SizeBytes) + bytes.Length;
        return (new StoredModel(store.GetUri(prefix), digest, size, manifest), bytes);
    }

    /// <summary>
    /// Downloads the model under <paramref name="prefix"/> into <paramref name="localDirectory"/> (which must not exist),
    /// verifying every file. The directory appears only once complete.
    /// </summary>
    public static async Task<StoredModel> DownloadAsync(IArtifactStore store, string prefix, string localDirectory, string? expectedDigest = null,
        CancellationToken cancellationToken = default)
    {
        var (model, manifestBytes) = await ReadManifestAsync(store, prefix, expectedDigest, cancellationToken).ConfigureAwait(false);
        await DownloadFilesAsync(store, AsFolder(prefix), model, manifestBytes, localDirectory, cancellationToken).ConfigureAwait(false);
        return model;
    }

    internal static async Task DownloadFilesAsync(IArtifactStore store, string prefix, StoredModel model, byte[] manifestBytes, string localDirectory,
        CancellationToken cancellationToken)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(localDirectory));
        if (Directory.Exists(target))
        {
            throw new IOException($"{target} already exists; a model is downloaded into a new directory");
        }

        var staging = target + ArtifactKeys.TemporaryMarker + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var file in model.Manifest.Files)
            {
                await DownloadFileAsync(store, prefix, file, staging, cancellationToken).ConfigureAwait(false);
            }

            await File.WriteAllBytesAsync(Path.Combine(staging, ModelManifest.FileName), manifestBytes, cancellationToken).ConfigureAwait(false);
            Directory.Move(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static async Task DownloadFileAsync(IArtifactStore store, string prefix, ModelFile file, string staging, CancellationToken cancellationToken)
    {
        var uri = store.GetUri(prefix + file.Path);
        var path = Path.Combine(staging, file.Path.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var source = await store.OpenReadAsync(prefix + file.Path, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            using var hashing = new HashingReadStream(source, null);
            var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes);
            await using (target.ConfigureAwait(false))
            {
                await hashing.CopyToAsync(target, CopyBufferBytes, cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }

            var digest = hashing.FinishDigest();
            if (!string.Equals(digest, file.Digest, StringComparison.Ordinal) || hashing.BytesRead != file.SizeBytes)
            {
                throw new ArtifactIntegrityException(uri, $"{file.Digest} ({file.SizeBytes} bytes, from the model manifest)", $"{digest} ({hashing.BytesRead} bytes)");
            }
        }
    }

    private static List<string> ListModelFiles(string localDirectory, string format)
    {
        if (!Directory.Exists(localDirectory))
        {
            throw new DirectoryNotFoundException($"model directory {localDirectory} does not exist");
        }

        var paths = Directory.EnumerateFiles(localDirectory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(localDirectory, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => p != ModelManifest.FileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (format == "whetstone" && ModelManifest.WhetstoneRequiredFiles.Except(paths).ToList() is { Count: > 0 } missing)
        {
            throw new ArgumentException($"model directory {localDirectory} lacks {string.Join(", ", missing)} (format whetstone needs {string.Join(", ", ModelManifest.WhetstoneRequiredFiles)})");
        }

        if (paths.Count == 0)
        {
            throw new ArgumentException($"model directory {localDirectory} has no files");
        }

        return paths;
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".json" => "application/json",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };

    private static string AsFolder(string prefix) => prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";

    private sealed class OffsetProgress(IProgress<long> inner, long offset) : IProgress<long>
    {
        public void Report(long value) => inner.Report(offset + value);
    }
}
