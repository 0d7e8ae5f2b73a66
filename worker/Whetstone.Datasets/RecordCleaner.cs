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
    private readonly PreprocessingOptions _options;
    private readonly BlockedTermFilter _blockedTerms;
    private readonly PiiRedactor _redactor;
    private readonly HashSet<string> _seenContent = new(StringComparer.Ordinal);
    private readonly NearDuplicateIndex? _nearDuplicates;

    public RecordCleaner(PreprocessingOptions options)
    {
        this._options = options;
        _blockedTerms = new BlockedTermFilter(options.BlockedTerms);
        _redactor = new PiiRedactor(options.RedactPii);
        _nearDuplicates = options.Deduplicate == DeduplicationMode.Near ? new NearDuplicateIndex(options.NearDuplicates) : null;
    }

    public RedactionTally Redactions { get; } = new();

    public (RecordOutcome Outcome, DatasetRecord Record) Clean(DatasetRecord record)
    {
        if (_options.NormalizeWhitespace)
        {
            record = record.MapText(TextNormalizer.Normalize);
        }

        if (_options.Lowercase)
        {
            record = record.MapText(text => text.ToLowerInvariant());
        }

        if (_options.DropEmpty && record.IsEmpty)
        {
            return (RecordOutcome.Empty, record);
        }

        if (_blockedTerms.IsBlocked(record))
        {
            return (RecordOutcome.Blocked, record);
        }

        var recordRedactions = new RedactionTally();
        if (!_redactor.IsDisabled)
        {
            record = record.MapText(text => _redactor.Redact(text, recordRedactions));
        }

        if (_options.Deduplicate != DeduplicationMode.None && !_seenContent.Add(Convert.ToHexString(SHA256.HashData(RecordJson.ToUtf8(record)))))
        {
            return (RecordOutcome.Duplicate, record);
        }

        if (_nearDuplicates is not null && _nearDuplicates.AddIfNew(_nearDuplicates.ShinglesOf(record.ContentText)) >= 0)
        {
            return (RecordOutcome.NearDuplicate, record);
        }

        Redactions.Add(recordRedactions);
        return (RecordOutcome.Kept, record);
    }
}
