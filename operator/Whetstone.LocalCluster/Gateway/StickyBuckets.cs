using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Whetstone.LocalCluster.Gateway;

/// <summary>
/// Sticky assignment of users to weighted backends. A user's bucket is the first 8 bytes of the SHA-256 of the
/// header value's UTF-8 bytes, read as a big-endian unsigned integer, modulo <see cref="Count"/>: the same in every
/// process, machine and runtime (unlike <see cref="string.GetHashCode()"/>, which .NET randomises per process).
/// The buckets are handed out from the <em>last</em> backendRef backward: the last one (a rollout's canary) gets
/// <c>[0, its share)</c>, the one before it the next range, and so on. With two backends weighted
/// <c>100 − w</c> and <c>w</c> the canary holds buckets <c>[0, 100·w)</c>, so raising <c>w</c> only ever moves users
/// from stable to canary.
/// </summary>
public static class StickyBuckets
{
    /// <summary>
    /// The HTTPRoute annotation naming the request header that carries the user's key (the ModelRollout controller
    /// writes it from <c>spec.trafficRouting.stickyKey</c>); it applies to every rule of the route.
    /// </summary>
    public const string RouteAnnotation = "whetstone.dev/sticky-header";

    /// <summary>How many buckets there are (a weight of 1 in 100 is 100 buckets).</summary>
    public const int Count = 10_000;

    /// <summary>The bucket of <paramref name="key"/>, in <c>[0, <see cref="Count"/>)</c>.</summary>
    public static int Bucket(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Count);
    }

    /// <summary>
    /// The index of the backend whose bucket range holds <paramref name="bucket"/> (a backend with weight 0 holds
    /// none); null when every weight is 0. Range boundaries are rounded down from the cumulative weights, so the
    /// ranges tile <c>[0, <see cref="Count"/>)</c> with no gap.
    /// </summary>
    public static int? Choose(int bucket, IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, Count);
        long total = weights.Sum(w => (long)Math.Max(0, w));
        if (total == 0)
        {
            return null;
        }

        long cumulative = 0;
        for (var i = weights.Count - 1; i >= 0; i--)
        {
            cumulative += Math.Max(0, weights[i]);
            if (bucket < cumulative * Count / total)
            {
                return i;
            }
        }

        return 0;
    }
}
