using System.Security.Cryptography;
using System.Text.Json;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets;

/// <summary>
/// Reads a split back from a prepared directory (as written by <see cref="PreparedDatasetWriter"/>), for
/// training and evaluation. The split file's SHA-256 is checked against manifest.json first, so a damaged or
/// edited file is refused instead of silently used.
/// </summary>
public static class PreparedDatasetReader
{
    /// <summary>The dataset digest of a prepared directory (SHA-256 of its manifest.json).</summary>
    public static string ReadDigest(string directory) =>
        DatasetManifest.DigestOf(File.ReadAllBytes(Path.Combine(directory, PreparedDatasetWriter.ManifestFileName)));

    /// <summary>Reads split <paramref name="split"/> (<c>train</c>, <c>validation</c> or <c>test</c>) after checking its digest.</summary>
    public static IReadOnlyList<DatasetRecord> ReadSplit(string directory, string split, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(split);
        var manifestPath = Path.Combine(directory, PreparedDatasetWriter.ManifestFileName);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var format = DatasetFormatNames.Parse(manifest.RootElement.GetProperty("format").GetString() ?? string.Empty, $"{manifestPath}: format");
        var fileName = split + ".jsonl";
        var entry = manifest.RootElement.GetProperty("files").EnumerateArray()
            .FirstOrDefault(file => file.GetProperty("name").GetString() == fileName);
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"split \"{split}\" is not in {manifestPath} (expected train, validation or test)", nameof(split));
        }

        var path = Path.Combine(directory, fileName);
        var actual = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        var expected = entry.GetProperty("digest").GetString();
        if (actual != expected)
        {
            throw new InvalidDataException($"{path}: content digest {actual} does not match {expected} in manifest.json; the prepared dataset was modified");
        }

        return DatasetReader.ReadFile(path, format, DatasetFileType.Jsonl, cancellationToken).ToList();
    }
}
