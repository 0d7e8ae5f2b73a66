namespace Whetstone.Artifacts;

/// <summary>A put targeted a key that already holds different content; artifacts are never overwritten.</summary>
public sealed class ArtifactExistsException(Uri uri, string existingDigest, string newDigest)
    : ArtifactStoreException(uri,
        $"{uri} already exists with digest {existingDigest}; refusing to overwrite it with different content ({newDigest}). Write to a new key (job outputs go under <prefix>/<job uid>/).")
{
    /// <summary>Digest of what is stored.</summary>
    public string ExistingDigest { get; } = existingDigest;

    /// <summary>Digest of the content that was refused.</summary>
    public string NewDigest { get; } = newDigest;
}
