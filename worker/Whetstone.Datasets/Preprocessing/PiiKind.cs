namespace Whetstone.Datasets.Preprocessing;

/// <summary>Kinds of personal data that preprocessing can redact (api.md <c>preprocessing.redactPII</c>).</summary>
public enum PiiKind
{
    /// <summary><c>email</c>: e-mail addresses, replaced by <c>[EMAIL]</c>.</summary>
    Email,

    /// <summary><c>phone</c>: phone numbers, replaced by <c>[PHONE]</c>.</summary>
    Phone,

    /// <summary><c>idNumber</c>: Chinese resident ID numbers with a valid checksum, replaced by <c>[ID_NUMBER]</c>.</summary>
    IdNumber,

    /// <summary><c>bankCard</c>: card numbers passing the Luhn check, replaced by <c>[BANK_CARD]</c>.</summary>
    BankCard,
}
