namespace Whetstone.Api.V1Alpha1;

/// <summary>The dataset version a job used and what cleaning did to it.</summary>
public sealed record DatasetStatus
{
    /// <summary>Digest (<c>sha256:…</c>) of the cleaned, split dataset version; the same input and settings give the same digest.</summary>
    public string? Digest { get; set; }

    /// <summary>Digest of the raw input file as read.</summary>
    public string? SourceDigest { get; set; }

    /// <summary>Record counts.</summary>
    public DatasetRecordCounts? Records { get; set; }

    /// <summary>Records dropped, by reason (empty, duplicate, blocked, malformed, tooLong, …).</summary>
    public IDictionary<string, long>? Dropped { get; set; }

    /// <summary>Values redacted, by kind of personal data (email, phone, idNumber, …).</summary>
    public IDictionary<string, long>? Redactions { get; set; }
}
