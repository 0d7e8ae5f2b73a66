using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Cleaning steps, applied in this order: normalize, lowercase, redact, block, drop empty, deduplicate.</summary>
public sealed record DatasetPreprocessing
{
    /// <summary>Drop records that are empty after normalization.</summary>
    [DefaultValue(true)]
    public bool? DropEmpty { get; set; }

    /// <summary>Unicode-normalize (NFC) and collapse runs of whitespace.</summary>
    [DefaultValue(true)]
    public bool? NormalizeWhitespace { get; set; }

    /// <summary>Lower-case all text.</summary>
    [DefaultValue(false)]
    public bool? Lowercase { get; set; }

    /// <summary>Duplicate removal: none, exact or near.</summary>
    [DefaultValue(DeduplicationModes.Exact)]
    [Enum(DeduplicationModes.None, DeduplicationModes.Exact, DeduplicationModes.Near)]
    public string? Deduplicate { get; set; }

    /// <summary>Kinds of personal data replaced by a placeholder: email, phone, idNumber, creditCard, ipAddress.</summary>
    [ListSet]
    [Items(Max = 5)]
    [Enum(PiiKinds.Email, PiiKinds.Phone, PiiKinds.IdNumber, PiiKinds.CreditCard, PiiKinds.IpAddress)]
    public IList<string>? RedactPII { get; set; }

    /// <summary>Records containing any of these terms (case-insensitive) are dropped.</summary>
    [Items(Max = 1000)]
    [Length(Min = 1, Max = 256)]
    public IList<string>? BlockedTerms { get; set; }
}
