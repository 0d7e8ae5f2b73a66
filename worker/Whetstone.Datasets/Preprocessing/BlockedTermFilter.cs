using Whetstone.Datasets.Records;
using Whetstone.Datasets.Text;

namespace Whetstone.Datasets.Preprocessing;

/// <summary>Finds records containing a blocked term (substring, case-insensitive, both sides NFKC-normalized).</summary>
public sealed class BlockedTermFilter(IEnumerable<string> terms)
{
    private readonly string[] _terms = terms.Select(term => UnicodeNfkc.Normalize(term.Trim())).Where(term => term.Length > 0).ToArray();

    /// <summary>True when any free-text field of <paramref name="record"/> contains a blocked term.</summary>
    public bool IsBlocked(DatasetRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _terms.Length > 0 && record.TextFields.Any(ContainsBlockedTerm);
    }

    /// <summary>True when <paramref name="text"/> contains a blocked term.</summary>
    public bool ContainsBlockedTerm(string text)
    {
        var normalized = UnicodeNfkc.Normalize(text);
        return _terms.Any(term => normalized.Contains(term, StringComparison.OrdinalIgnoreCase));
    }
}
