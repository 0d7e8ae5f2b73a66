using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Generation;

/// <summary>
/// What the generator put into one format's records, so tests can check preparation against it. The expected
/// drops assume the usual cleaning: dropEmpty, normalizeWhitespace (some duplicates differ only in whitespace or
/// in full-width digits), deduplicate near, blockedTerms <see cref="SupportDatasetGenerator.BlockedTerms"/>, and
/// all four PII kinds redacted.
/// </summary>
/// <param name="Records">Records in total, dirty ones included.</param>
/// <param name="Empty">Records with a blank needed field.</param>
/// <param name="Duplicates">Exact duplicates of an earlier record (after normalization).</param>
/// <param name="NearDuplicates">Small edits of an earlier record (Jaccard ≥ 0.92 on 5-character shingles).</param>
/// <param name="Blocked">Records containing a blocked term.</param>
/// <param name="Pii">Personal data items inserted, by kind (all valid, so all should be redacted).</param>
public sealed record SupportDatasetStats(int Records, int Empty, int Duplicates, int NearDuplicates, int Blocked, RedactionCounts Pii)
{
    /// <summary>Records that should survive cleaning.</summary>
    public int ExpectedKept => Records - Empty - Duplicates - NearDuplicates - Blocked;
}
