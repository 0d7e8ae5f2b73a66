using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whetstone.Artifacts.Models;

/// <summary>
/// What the last full check of a model cache entry found: each file's size and modification time, and when the check
/// began. Kept beside the entry as <c>sha256-&lt;hex&gt;.checked.json</c>; losing it only costs a full check.
/// </summary>
/// <param name="Digest">The model the entry holds.</param>
/// <param name="CheckedAtTicks">When the check began (UTC ticks).</param>
/// <param name="Files">The files as the check found them.</param>
internal sealed record CheckRecord(
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("checkedAtTicks")] long CheckedAtTicks,
    [property: JsonPropertyName("files")] IReadOnlyList<CheckRecord.FileStamp> Files)
{
    /// <summary>One file as a check found it.</summary>
    internal sealed record FileStamp(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("sizeBytes")] long SizeBytes,
        [property: JsonPropertyName("modifiedTicks")] long ModifiedTicks);

    /// <summary>
    /// Whether this record vouches for <paramref name="stamp"/>: the same size and modification time, and a modification
    /// at least <paramref name="racyWindow"/> before the check began (a later write could share its time).
    /// </summary>
    public bool Vouches(FileStamp stamp, TimeSpan racyWindow) =>
        stamp.ModifiedTicks <= CheckedAtTicks - racyWindow.Ticks
        && Files.Any(f => f == stamp);

    /// <summary>The record at <paramref name="path"/> for <paramref name="digest"/>; null when missing, unreadable or for another model.</summary>
    public static CheckRecord? Read(string path, string digest)
    {
        try
        {
            var record = JsonSerializer.Deserialize<CheckRecord>(File.ReadAllBytes(path));
            return record is { Files: not null } && string.Equals(record.Digest, digest, StringComparison.Ordinal) ? record : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the record atomically (a temporary file renamed over it); a cache it cannot write to just checks in full next time.</summary>
    public static void Write(string path, CheckRecord record)
    {
        var temporary = path + ArtifactKeys.TemporaryMarker + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(record));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
        }
    }
}
