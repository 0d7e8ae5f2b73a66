namespace Whetstone.Datasets.Preprocessing;

/// <summary>
/// Near-duplicate detection: character <see cref="ShingleSize"/>-grams of the lower-cased, whitespace-collapsed
/// content; MinHash with <see cref="Permutations"/> hash functions split into <see cref="Bands"/> LSH bands finds
/// candidates, and a candidate counts when the exact Jaccard similarity of the shingle sets is at least
/// <see cref="Threshold"/>.
/// </summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Minimum Jaccard similarity of the shingle sets (default 0.85).</summary>
    public double Threshold { get; init; } = 0.85;

    /// <summary>Characters per shingle (default 5).</summary>
    public int ShingleSize { get; init; } = 5;

    /// <summary>MinHash functions (default 128).</summary>
    public int Permutations { get; init; } = 128;

    /// <summary>LSH bands; must divide <see cref="Permutations"/> (default 16, so 8 rows per band).</summary>
    public int Bands { get; init; } = 16;

    internal void Validate()
    {
        if (Threshold is <= 0 or > 1 || ShingleSize < 1 || Permutations < 1 || Bands < 1 || Permutations % Bands != 0)
        {
            throw new DatasetOptionsException(
                "nearDuplicates", "threshold must be in (0, 1], shingle size and permutations positive, bands must divide permutations");
        }
    }
}
