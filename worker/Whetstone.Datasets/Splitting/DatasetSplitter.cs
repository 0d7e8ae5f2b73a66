using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Splitting;

/// <summary>
/// Seeded split. Each record's place comes from a hash of the seed and the record's content, so the result
/// depends only on the records and the seed: not on threads, not on the machine, and not on input order (ties
/// between identical records, kept when deduplication is off, fall back to input order).
/// Stratified (classification, by label): records of each label, in hash order, get evenly spaced positions
/// (rank + ½) / size; all records are sorted by that position and cut into test, validation, train. Every label is
/// then represented in each split in proportion, within one record, and the split sizes are the same as unstratified:
/// test = round(n × test), validation = round(n × validation), train = the rest.
/// </summary>
public static class DatasetSplitter
{
    /// <summary>Splits <paramref name="records"/>; each split is in shuffled (hash) order.</summary>
    public static SplitResult Split(IReadOnlyList<DatasetRecord> records, SplitOptions options, bool stratifyByLabel)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var seedMix = NearDuplicateIndex.Mix((ulong)options.Seed ^ 0xA076_1D64_78BD_642FUL);
        var keyed = records.Select((record, index) => new Keyed(record, index, NearDuplicateIndex.Mix(ContentHash(record) ^ seedMix))).ToList();
        var groups = stratifyByLabel
            ? keyed.GroupBy(entry => ((ClassificationRecord)entry.Record).Label, StringComparer.Ordinal)
            : keyed.GroupBy(_ => string.Empty);
        var positioned = new List<(Keyed Entry, double Position)>(keyed.Count);
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(entry => entry.Key).ThenBy(entry => entry.Index).ToList();
            for (var rank = 0; rank < ordered.Count; rank++)
            {
                positioned.Add((ordered[rank], (rank + 0.5) / ordered.Count));
            }
        }

        var sequence = positioned
            .OrderBy(item => item.Position)
            .ThenBy(item => item.Entry.Key)
            .ThenBy(item => item.Entry.Index)
            .Select(item => item.Entry)
            .ToList();
        var testCount = (int)Math.Min(records.Count, Math.Round(records.Count * options.Test, MidpointRounding.AwayFromZero));
        var validationCount = (int)Math.Min(records.Count - testCount, Math.Round(records.Count * options.Validation, MidpointRounding.AwayFromZero));
        return new SplitResult(
            InHashOrder(sequence.Skip(testCount + validationCount)),
            InHashOrder(sequence.Skip(testCount).Take(validationCount)),
            InHashOrder(sequence.Take(testCount)));
    }

    private static DatasetRecord[] InHashOrder(IEnumerable<Keyed> entries) =>
        entries.OrderBy(entry => entry.Key).ThenBy(entry => entry.Index).Select(entry => entry.Record).ToArray();

    private static ulong ContentHash(DatasetRecord record) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(System.Security.Cryptography.SHA256.HashData(RecordJson.ToUtf8(record)));

    private sealed record Keyed(DatasetRecord Record, int Index, ulong Key);
}
