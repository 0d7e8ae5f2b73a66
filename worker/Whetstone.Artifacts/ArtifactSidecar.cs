using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whetstone.Artifacts;

/// <summary>
/// The integrity record stored next to every artifact as <c>&lt;key&gt;.whetstone.json</c>. A sidecar rather than
/// object metadata because the same file works unchanged on S3 and on a plain directory, and because S3 metadata
/// must be sent before the upload starts, when the digest is not known yet.
/// </summary>
/// <param name="Digest">Content digest, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="SizeBytes">Length of the content in bytes.</param>
/// <param name="ContentType">Media type given at write time.</param>
/// <param name="CreatedAt">When the write completed.</param>
public sealed record ArtifactSidecar(
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("sizeBytes")] long SizeBytes,
    [property: JsonPropertyName("contentType")] string ContentType,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Serializes the sidecar to UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Parses a sidecar; a malformed one is an integrity failure of <paramref name="uri"/>.</summary>
    public static ArtifactSidecar Parse(ReadOnlySpan<byte> json, Uri uri)
    {
        try
        {
            var sidecar = JsonSerializer.Deserialize<ArtifactSidecar>(json, Json);
            if (sidecar is null || !ArtifactDigest.IsValid(sidecar.Digest))
            {
                throw new ArtifactIntegrityException(uri, "a valid sidecar manifest", "a sidecar without a valid digest");
            }

            return sidecar;
        }
        catch (JsonException e)
        {
            throw new ArtifactIntegrityException(uri, "a valid sidecar manifest", $"malformed JSON ({e.Message})");
        }
    }
}
