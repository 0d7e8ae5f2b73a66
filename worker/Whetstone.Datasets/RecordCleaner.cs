using System.Security.Cryptography;
using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets;

/// <summary>
/// Applies the preprocessing steps to one record at a time, in this order: normalize (NFKC + whitespace),
/// lowercase, drop empty, drop blocked, redact PII, drop exact duplicates, drop near duplicates. The first
/// occurrence of a duplicate is the one kept. Redactions are counted only for records that are kept.
/// </summary>
internal sealed class RecordCleaner
{
    private readonly PreprocessingOptions options;
    private readonly BlockedTermFilter blockedTerms;
    private readonly PiiRedactor redactor;
    private readonly HashSet<string> seenContent = new(StringComparer.Ordinal);
    private readonly NearDuplicateIndex? nearDuplicates;

    public RecordCleaner(PreprocessingOptions options)
    {
        this.options = options;
        blockedTerms = new BlockedTermFilter(options.BlockedTerms);
        redactor = new PiiRedactor(options.RedactPii);
        nearDuplicates = options.Deduplicate == DeduplicationMode.Near ? new NearDuplicateIndex(options.NearDuplicates) : null;
    }

    public RedactionTally Redactions { get; } = new();

    public (RecordOutcome Outcome, DatasetRecord Record) Clean(DatasetRecord record)
    {
        if (options.NormalizeWhitespace)
        {
            record = record.MapText(TextNormalizer.Normalize);
        }

        if (options.Lowercase)
        {
            record = record.MapText(text => text.ToLowerInvariant());
        }

        if (options.DropEmpty && record.IsEmpty)
        {
            return (RecordOutcome.Empty, record);
        }

        if (blockedTerms.IsBlocked(record))
        {
            return (RecordOutcome.Blocked, record);
        }

        var recordRedactions = new RedactionTally();
        if (!redactor.IsDisabled)
        {
            record = record.MapText(text => redactor.Redact(text, recordRedactions));
        }

        if (options.Deduplicate != DeduplicationMode.None && !seenContent.Add(Convert.ToHexString(SHA256.HashData(RecordJson.ToUtf8(record)))))
        {
            return (RecordOutcome.Duplicate, record);
        }

        if (nearDuplicates is not null && nearDuplicates.AddIfNew(nearDuplicates.ShinglesOf(record.ContentText)) >= 0)
        {
            return (RecordOutcome.NearDuplicate, record);
        }

        Redactions.Add(recordRedactions);
        return (RecordOutcome.Kept, record);
    }
}
