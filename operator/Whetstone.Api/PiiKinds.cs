namespace Whetstone.Api;

/// <summary>Kinds of personal data <c>dataset.preprocessing.redactPII</c> can redact; also the keys of <c>status.dataset.redactions</c>.</summary>
public static class PiiKinds
{
    /// <summary>E-mail addresses.</summary>
    public const string Email = "email";

    /// <summary>Phone numbers.</summary>
    public const string Phone = "phone";

    /// <summary>National identity, passport and social security numbers.</summary>
    public const string IdNumber = "idNumber";

    /// <summary>Payment card numbers (Luhn-checked).</summary>
    public const string CreditCard = "creditCard";

    /// <summary>IPv4 and IPv6 addresses.</summary>
    public const string IpAddress = "ipAddress";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Email, Phone, IdNumber, CreditCard, IpAddress];
}
