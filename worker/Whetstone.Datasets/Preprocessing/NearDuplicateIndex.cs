namespace Whetstone.Datasets.Preprocessing;

/// <summary>
/// MinHash + LSH index over shingle sets. LSH proposes candidates that share a band; a candidate is a near
/// duplicate only when the exact Jaccard similarity reaches the threshold, so the estimate never decides alone.
/// With 16 bands of 8 rows, a pair at Jaccard 0.85 becomes a candidate with probability 1 − (1 − 0.85⁸)¹⁶ ≈ 0.994,
/// at 0.9 ≈ 0.9999; pairs below 0.5 rarely are (≈ 0.06), which keeps the exact checks few.
/// </summary>
public sealed class NearDuplicateIndex
{
    private readonly NearDuplicateOptions _options;
    // Hash function i is x ↦ multipliers[i] · mix(x) + offsets[i] (mod 2⁶⁴), a cheap affine family over a
    // well-mixed input, ordered by the high bits that dominate the minimum.
    private readonly ulong[] _multipliers;
    private readonly ulong[] _offsets;
    private readonly Dictionary<(int Band, ulong Key), List<int>> _buckets = [];
    private readonly List<ulong[]> _entries = [];

    /// <summary>Creates an empty index.</summary>
    public NearDuplicateIndex(NearDuplicateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this._options = options;
        _multipliers = new ulong[options.Permutations];
        _offsets = new ulong[options.Permutations];
        var state = 0x5EED_0F_1EAF_C0DEUL;
        for (var i = 0; i < _multipliers.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            _multipliers[i] = Mix(state) | 1;
            state += 0x9E3779B97F4A7C15UL;
            _offsets[i] = Mix(state);
        }
    }

    /// <summary>Number of texts added.</summary>
    public int Count => _entries.Count;

    /// <summary>Shingles <paramref name="text"/> with the index's shingle size.</summary>
    public ulong[] ShinglesOf(string text) => Shingles.Of(text, _options.ShingleSize);

    /// <summary>The index of an added entry similar to <paramref name="shingles"/> at or above the threshold (the most similar), or -1.</summary>
    public int FindSimilar(ulong[] shingles) => FindSimilar(shingles, Signature(shingles));

    /// <summary>
    /// Adds <paramref name="shingles"/> unless a similar entry exists; returns that entry's index, or -1 when added.
    /// </summary>
    public int AddIfNew(ulong[] shingles)
    {
        var signature = Signature(shingles);
        var similar = FindSimilar(shingles, signature);
        if (similar < 0)
        {
            Add(shingles, signature);
        }

        return similar;
    }

    /// <summary>Adds <paramref name="shingles"/> whether or not a similar entry exists.</summary>
    public void Add(ulong[] shingles) => Add(shingles, Signature(shingles));

    private void Add(ulong[] shingles, ulong[] signature)
    {
        var index = _entries.Count;
        _entries.Add(shingles);
        for (var band = 0; band < _options.Bands; band++)
        {
            var key = (band, BandKey(signature, band));
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                bucket = [];
                _buckets[key] = bucket;
            }

            bucket.Add(index);
        }
    }

    private int FindSimilar(ulong[] shingles, ulong[] signature)
    {
        var best = -1;
        var bestSimilarity = 0.0;
        var checkedEntries = new HashSet<int>();
        for (var band = 0; band < _options.Bands; band++)
        {
            if (!_buckets.TryGetValue((band, BandKey(signature, band)), out var bucket))
            {
                continue;
            }

            foreach (var candidate in bucket)
            {
                if (!checkedEntries.Add(candidate))
                {
                    continue;
                }

                var similarity = Shingles.Jaccard(shingles, _entries[candidate]);
                if (similarity >= _options.Threshold && (similarity > bestSimilarity || (similarity == bestSimilarity && candidate < best)))
                {
                    best = candidate;
                    bestSimilarity = similarity;
                }
            }
        }

        return best;
    }

    private ulong[] Signature(ulong[] shingles)
    {
        var signature = new ulong[_options.Permutations];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in shingles)
        {
            var mixed = Mix(shingle);
            for (var i = 0; i < signature.Length; i++)
            {
                var value = (_multipliers[i] * mixed) + _offsets[i];
                if (value < signature[i])
                {
                    signature[i] = value;
                }
            }
        }

        return signature;
    }

    private ulong BandKey(ulong[] signature, int band)
    {
        var rows = _options.Permutations / _options.Bands;
        var key = 0xCBF29CE484222325UL;
        for (var row = band * rows; row < (band + 1) * rows; row++)
        {
            key = Mix(key ^ signature[row]);
        }

        return key;
    }

    /// <summary>SplitMix64's finalizer: a fast, well-spread 64-bit mix.</summary>
    internal static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
