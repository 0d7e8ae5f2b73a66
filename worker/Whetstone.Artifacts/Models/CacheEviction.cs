namespace Whetstone.Artifacts.Models;

/// <summary>What a download did to keep a bounded model cache within its bound.</summary>
/// <param name="Removed">The entries removed (<c>sha256-&lt;hex&gt;</c>), least recently used first.</param>
/// <param name="BytesAfter">The cache's size afterwards: still over <paramref name="BoundBytes"/> when every other entry was in use.</param>
/// <param name="BoundBytes">The cache's bound.</param>
public sealed record CacheEviction(IReadOnlyList<string> Removed, long BytesAfter, long BoundBytes)
{
    /// <summary>Whether the cache is still over its bound (every remaining entry was used too recently, or locked).</summary>
    public bool StillOver => BytesAfter > BoundBytes;
}
