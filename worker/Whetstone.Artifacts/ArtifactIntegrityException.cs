namespace Whetstone.Artifacts;

/// <summary>Stored bytes do not match their recorded digest or size: corrupted, truncated or tampered with.</summary>
public sealed class ArtifactIntegrityException(Uri uri, string expected, string actual)
    : ArtifactStoreException(uri, $"integrity check failed for {uri}: expected {expected}, found {actual}")
{
    /// <summary>What the manifest or the caller's pin says.</summary>
    public string Expected { get; } = expected;

    /// <summary>What the bytes actually are.</summary>
    public string Actual { get; } = actual;
}
