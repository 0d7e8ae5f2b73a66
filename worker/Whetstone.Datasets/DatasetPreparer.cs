using Whetstone.Datasets.Records;
using Whetstone.Datasets.Splitting;

namespace Whetstone.Datasets;

/// <summary>
/// Turns a raw dataset into a prepared version: reads (streaming), cleans record by record, splits, and computes
/// the digest. Bad records throw <see cref="DatasetFormatException"/>; bad options <see cref="DatasetOptionsException"/>.
/// </summary>
public static class DatasetPreparer
{
    /// <summary>Prepares the file at <paramref name="path"/>.</summary>
    public static PreparedDataset PrepareFile(string path, DatasetPreparationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RequireRecords(Prepare(DatasetReader.ReadFile(path, options.Format, options.FileType, cancellationToken), options, cancellationToken), Path.GetFileName(path));
    }

    /// <summary>Prepares records read from <paramref name="reader"/>; <paramref name="fileName"/> appears in error messages.</summary>
    public static PreparedDataset Prepare(
        TextReader reader, string fileName, DatasetFileType fileType, DatasetPreparationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return RequireRecords(Prepare(DatasetReader.Read(reader, fileName, fileType, options.Format, cancellationToken), options, cancellationToken), fileName);
    }

    // A file with no records, or none left after cleaning, would reach training as an empty dataset: refuse it here.
    private static PreparedDataset RequireRecords(PreparedDataset dataset, string fileName)
    {
        var (records, dropped) = (dataset.Report.Records, dataset.Report.Dropped);
        if (records.Input == 0)
        {
            throw new DatasetFormatException(fileName, "the file holds no records");
        }

        if (records.Train + records.Validation + records.Test == 0)
        {
            throw new DatasetFormatException(fileName, FormattableString.Invariant(
                $"none of its {records.Input} records is left after cleaning (empty {dropped.Empty}, duplicate {dropped.Duplicate}, near-duplicate {dropped.NearDuplicate}, blocked {dropped.Blocked})"));
        }

        return dataset;
    }

    /// <summary>Prepares records already in memory (all must be of <see cref="DatasetPreparationOptions.Format"/>).</summary>
    public static PreparedDataset Prepare(IEnumerable<DatasetRecord> records, DatasetPreparationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var cleaner = new RecordCleaner(options.Preprocessing);
        var kept = new List<DatasetRecord>();
        var outcomes = new int[Enum.GetValues<RecordOutcome>().Length];
        var input = 0;
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (record.Format != options.Format)
            {
                throw new ArgumentException($"record {input + 1} is {record.Format.ToName()}, expected {options.Format.ToName()}", nameof(records));
            }

            input++;
            var (outcome, cleaned) = cleaner.Clean(record);
            outcomes[(int)outcome]++;
            if (outcome == RecordOutcome.Kept)
            {
                kept.Add(cleaned);
            }
        }

        var split = DatasetSplitter.Split(kept, options.Split, stratifyByLabel: options.Format == DatasetFormat.Classification);
        var report = new DatasetReport(
            Digest: string.Empty,
            Format: options.Format.ToName(),
            new RecordCounts(input, split.Train.Count, split.Validation.Count, split.Test.Count),
            new DroppedCounts(
                outcomes[(int)RecordOutcome.Empty],
                outcomes[(int)RecordOutcome.Duplicate],
                outcomes[(int)RecordOutcome.NearDuplicate],
                outcomes[(int)RecordOutcome.Blocked]),
            cleaner.Redactions.ToCounts());
        return new PreparedDataset(
            options.Format,
            new PreparedSplit("train", split.Train),
            new PreparedSplit("validation", split.Validation),
            new PreparedSplit("test", split.Test),
            report);
    }
}
