using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Overlap;

/// <summary>
/// Contamination check for evaluation: the fraction of test records whose content has a near duplicate in the
/// training records, by character n-gram (shingle) Jaccard similarity at or above the threshold, found through
/// the same MinHash/LSH index as near-duplicate removal. Records of different formats can be compared: only their
/// free text counts.
/// </summary>
public static class TrainTestOverlap
{
    /// <summary>Measures the overlap of <paramref name="test"/> with <paramref name="train"/>.</summary>
    public static OverlapReport Measure(
        IEnumerable<DatasetRecord> train, IEnumerable<DatasetRecord> test, NearDuplicateOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var index = new NearDuplicateIndex(options ?? new NearDuplicateOptions());
        foreach (var record in train)
        {
            cancellationToken.ThrowIfCancellationRequested();
            index.Add(index.ShinglesOf(record.ContentText));
        }

        int checkedRecords = 0, overlapping = 0;
        foreach (var record in test)
        {
            cancellationToken.ThrowIfCancellationRequested();
            checkedRecords++;
            if (index.FindSimilar(index.ShinglesOf(record.ContentText)) >= 0)
            {
                overlapping++;
            }
        }

        return new OverlapReport(checkedRecords, overlapping, checkedRecords == 0 ? 0 : (double)overlapping / checkedRecords);
    }
}
