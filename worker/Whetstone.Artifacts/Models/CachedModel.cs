namespace Whetstone.Artifacts.Models;

/// <summary>A model available on this node.</summary>
/// <param name="Directory">Local directory holding the model's files and manifest.</param>
/// <param name="Digest">The model's digest.</param>
/// <param name="CacheHit">True when nothing had to be downloaded.</param>
public sealed record CachedModel(string Directory, string Digest, bool CacheHit);
