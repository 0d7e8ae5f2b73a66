using System.Text.RegularExpressions;

namespace Whetstone.Datasets.Preprocessing;

/// <summary>
/// Replaces personal data by typed placeholders: <c>[EMAIL]</c>, <c>[ID_NUMBER]</c>, <c>[BANK_CARD]</c>,
/// <c>[PHONE]</c>, in that order (so the digits of an ID or card number are never taken for a phone number).
/// ID and card numbers are replaced only when their checksums are valid. See the README for the formats and the
/// known limits.
/// </summary>
public sealed partial class PiiRedactor(IEnumerable<PiiKind> kinds)
{
    /// <summary>Placeholder for e-mail addresses.</summary>
    public const string EmailPlaceholder = "[EMAIL]";

    /// <summary>Placeholder for phone numbers.</summary>
    public const string PhonePlaceholder = "[PHONE]";

    /// <summary>Placeholder for Chinese resident ID numbers.</summary>
    public const string IdNumberPlaceholder = "[ID_NUMBER]";

    /// <summary>Placeholder for bank card numbers.</summary>
    public const string BankCardPlaceholder = "[BANK_CARD]";

    private readonly HashSet<PiiKind> _kinds = [.. kinds];

    /// <summary>True when no kind is enabled.</summary>
    public bool IsDisabled => _kinds.Count == 0;

    /// <summary>Redacts <paramref name="text"/> and adds what it replaced to <paramref name="counts"/>.</summary>
    public string Redact(string text, RedactionTally counts)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(counts);
        if (_kinds.Contains(PiiKind.Email))
        {
            text = EmailPattern().Replace(text, _ => Count(counts, PiiKind.Email, EmailPlaceholder));
        }

        if (_kinds.Contains(PiiKind.IdNumber))
        {
            text = IdNumberPattern().Replace(text, match =>
                ChineseIdNumber.IsValid(match.ValueSpan) ? Count(counts, PiiKind.IdNumber, IdNumberPlaceholder) : match.Value);
        }

        if (_kinds.Contains(PiiKind.BankCard))
        {
            text = BankCardPattern().Replace(text, match => RedactCardNumber(match, counts));
        }

        if (_kinds.Contains(PiiKind.Phone))
        {
            text = PhonePattern().Replace(text, match =>
                IsPhoneNumber(match.Value) ? Count(counts, PiiKind.Phone, PhonePlaceholder) : match.Value);
        }

        return text;
    }

    private static string Count(RedactionTally counts, PiiKind kind, string placeholder)
    {
        counts.Add(kind);
        return placeholder;
    }

    private static string RedactCardNumber(Match match, RedactionTally counts)
    {
        if (IsCardNumber(match.Value))
        {
            return Count(counts, PiiKind.BankCard, BankCardPlaceholder);
        }

        // "4111 1111 1111 1111 2 items": the optional fifth group may belong to the following text.
        var tail = match.Groups["tail"];
        if (tail.Success && IsCardNumber(match.Value[..(tail.Index - match.Index)]))
        {
            return Count(counts, PiiKind.BankCard, BankCardPlaceholder) + tail.Value;
        }

        return match.Value;
    }

    private static bool IsCardNumber(string value)
    {
        var digits = string.Concat(value.Where(char.IsAsciiDigit));
        return digits.Length is >= 13 and <= 19 && LuhnChecksum.IsValid(digits);
    }

    // E.164 allows at most 15 digits; fewer than 7 is no phone number anywhere.
    private static bool IsPhoneNumber(string value) => value.Count(char.IsAsciiDigit) is >= 7 and <= 15;

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-8][0-9]{16}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumberPattern();

    // Contiguous 13–19 digits, or groups of four with one kind of separator (4-4-4-4 plus up to 3), or the 4-6-5 layout.
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:[0-9]{13,19}|[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{1,4}(?<tail>\1[0-9]{1,3})?|[0-9]{4}([ -])[0-9]{6}\2[0-9]{5})(?![0-9A-Za-z])")]
    private static partial Regex BankCardPattern();

    // Alternatives, most specific first:
    //  1. international, starting with + and a country code: +44 20 7946 0958, +1 (555) 123-4567, +8613812345678;
    //  2. Chinese mainland mobile: 13812345678, 138 1234 5678, 138-1234-5678;
    //  3. Chinese landline with area code: 010-12345678, (0755) 1234567;
    //  4. North American without country code, only with separators: (555) 123-4567, 555-123-4567, 555.123.4567.
    [GeneratedRegex(
        @"(?<![0-9A-Za-z+])(?:\+[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,4}\)?){2,6}"
        + @"|1[3-9][0-9](?:[ -]?[0-9]{4}){2}"
        + @"|(?:\(0[1-9][0-9]{1,2}\)[ ]?|0[1-9][0-9]{1,2}-)[0-9]{7,8}"
        + @"|(?:\([0-9]{3}\)[ ]?|[0-9]{3}([.-]))[0-9]{3}(?(1)\1|[ .-])[0-9]{4})(?![0-9A-Za-z])")]
    private static partial Regex PhonePattern();
}
