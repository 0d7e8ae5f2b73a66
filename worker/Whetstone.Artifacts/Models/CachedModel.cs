namespace Whetstone.Artifacts.Models;

/// <summary>A model available on this node.</summary>
/// <param name="Directory">Local directory holding the model's files and manifest.</param>
/// <param name="Digest">The model's digest.</param>
/// <param name="CacheHit">True when nothing had to be downloaded.</param>
/// <param name="BytesHashedToCheck">
/// On a hit, the bytes of the model hashed to check it on this use: 0 when the record of the last full check vouched
/// for every file. 0 after a download, which verifies while it writes.
/// </param>
/// <param name="Eviction">After a download into a bounded cache, what was removed to keep it within its bound.</param>
public sealed record CachedModel(string Directory, string Digest, bool CacheHit, long BytesHashedToCheck = 0, CacheEviction? Eviction = null);
