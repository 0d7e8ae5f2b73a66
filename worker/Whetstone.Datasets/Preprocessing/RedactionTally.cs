namespace Whetstone.Datasets.Preprocessing;

/// <summary>A running count of redactions by kind.</summary>
public sealed class RedactionTally
{
    private readonly int[] _counts = new int[Enum.GetValues<PiiKind>().Length];

    /// <summary>Counts one redaction of <paramref name="kind"/>.</summary>
    public void Add(PiiKind kind) => _counts[(int)kind]++;

    /// <summary>Adds all of <paramref name="other"/> to this tally.</summary>
    public void Add(RedactionTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
    }

    /// <summary>How many of <paramref name="kind"/> were redacted.</summary>
    public int this[PiiKind kind] => _counts[(int)kind];

    /// <summary>The counts as an immutable record.</summary>
    public RedactionCounts ToCounts() =>
        new(this[PiiKind.Email], this[PiiKind.Phone], this[PiiKind.IdNumber], this[PiiKind.BankCard]);
}
