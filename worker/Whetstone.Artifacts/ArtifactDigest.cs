using System.Security.Cryptography;

namespace Whetstone.Artifacts;

/// <summary>The <c>sha256:&lt;hex&gt;</c> content digests used everywhere in Whetstone.</summary>
public static class ArtifactDigest
{
    /// <summary>The algorithm prefix of every digest.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Formats a SHA-256 hash as <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
    public static string Format(ReadOnlySpan<byte> sha256) => Prefix + Convert.ToHexStringLower(sha256);

    /// <summary>Whether <paramref name="digest"/> is <c>sha256:</c> followed by 64 lowercase hex digits.</summary>
    public static bool IsValid(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith(Prefix, StringComparison.Ordinal) &&
        digest.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef") is false;

    /// <summary>Throws a clear error naming <paramref name="field"/> when the digest is malformed.</summary>
    public static string Require(string? digest, string field) =>
        IsValid(digest)
            ? digest!
            : throw new ArgumentException($"{field}: '{digest}' is not a digest of the form sha256:<64 lowercase hex digits>", field);

    /// <summary>The hex part of a digest, for use in paths (<c>sha256-&lt;hex&gt;</c>).</summary>
    public static string ToPathSegment(string digest) => "sha256-" + Require(digest, nameof(digest))[Prefix.Length..];

    /// <summary>Digest of a whole stream, read once in fixed-size blocks.</summary>
    public static async Task<string> ComputeAsync(Stream content, CancellationToken cancellationToken)
    {
        var hash = await SHA256.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        return Format(hash);
    }

    /// <summary>Digest of a byte span.</summary>
    public static string Compute(ReadOnlySpan<byte> content) => Format(SHA256.HashData(content));
}
