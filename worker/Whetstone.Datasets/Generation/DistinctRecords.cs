using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Generation;

/// <summary>
/// Keeps generated records pairwise below the near-duplicate threshold (the same index preparation uses), so
/// that every duplicate in a generated dataset is one the generator put there on purpose.
/// </summary>
internal sealed class DistinctRecords
{
    private const int MaxAttempts = 2000;
    private readonly NearDuplicateIndex _index = new(new NearDuplicateOptions());

    /// <summary>Calls <paramref name="create"/> until its record (as preparation will see it) is new, and remembers it.</summary>
    public T Next<T>(Func<(T Record, DatasetRecord AsPrepared)> create)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (record, asPrepared) = create();
            var shingles = _index.ShinglesOf(asPrepared.ContentText);
            if (_index.FindSimilar(shingles) < 0)
            {
                _index.Add(shingles);
                return record;
            }
        }

        throw new InvalidOperationException($"could not generate a distinct record in {MaxAttempts} attempts; ask for fewer records");
    }

    /// <summary>Places each extra record at a random position, after the record it copies when it has one.</summary>
    public static List<T> Insert<T>(IReadOnlyList<T> records, IEnumerable<(T Record, T? Copies)> extras, SeededRandom random)
        where T : class
    {
        var result = new List<T>(records);
        foreach (var (record, copies) in extras)
        {
            var earliest = copies is null ? 0 : result.FindIndex(existing => ReferenceEquals(existing, copies)) + 1;
            result.Insert(earliest + random.Next(result.Count - earliest + 1), record);
        }

        return result;
    }

    /// <summary>Jaccard similarity of two texts as near-duplicate detection measures it.</summary>
    public static double Similarity(string first, string second)
    {
        var options = new NearDuplicateOptions();
        return Shingles.Jaccard(Shingles.Of(first, options.ShingleSize), Shingles.Of(second, options.ShingleSize));
    }
}
