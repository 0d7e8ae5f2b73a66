using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Caching;

/// <summary>
/// Answers to deterministic requests (classifier rows, greedy non-streamed completions), keyed by the model's digest
/// and the request's model-relevant content, so a new model version never answers from an old one's entries. Bounded
/// by entry count (least recently used go first); hits and misses are counted.
/// </summary>
internal sealed class ResponseCache(string modelDigest, int entries, ServingMeter meter) : IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = entries, CompactionPercentage = 0.1 });

    /// <summary>The key of <paramref name="payload"/> for the endpoint <paramref name="kind"/>.</summary>
    public string KeyOf(string kind, ReadOnlySpan<byte> payload)
    {
        var head = Encoding.UTF8.GetBytes(modelDigest + "\n" + kind + "\n");
        var buffer = new byte[head.Length + payload.Length];
        head.CopyTo(buffer, 0);
        payload.CopyTo(buffer.AsSpan(head.Length));
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }

    public bool TryGet<T>(string key, out T value)
    {
        var hit = _cache.TryGetValue(key, out var found) && found is T;
        meter.RecordCacheLookup(hit);
        value = hit ? (T)found! : default!;
        return hit;
    }

    public void Set<T>(string key, T value) => _cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1 });

    public void Dispose() => _cache.Dispose();
}
