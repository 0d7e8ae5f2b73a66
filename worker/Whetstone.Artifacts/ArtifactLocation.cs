namespace Whetstone.Artifacts;

/// <summary>An artifact URI split into the store that holds it and the key inside that store.</summary>
/// <param name="Store">The store (rooted at the bucket, or at the file system root).</param>
/// <param name="Key">The key within <paramref name="Store"/>.</param>
public sealed record ArtifactLocation(IArtifactStore Store, string Key);
