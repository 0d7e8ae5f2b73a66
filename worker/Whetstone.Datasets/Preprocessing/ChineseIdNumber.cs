using System.Globalization;

namespace Whetstone.Datasets.Preprocessing;

/// <summary>
/// Chinese 18-digit resident identity numbers (GB 11643): 6-digit region, 8-digit birth date, 3-digit sequence
/// and an ISO 7064 MOD 11-2 check character (0–9 or X).
/// </summary>
public static class ChineseIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>
    /// True when <paramref name="value"/> is 18 characters, the region starts with 1–8, the birth date is a real date
    /// from 1900-01-01 to 2099-12-31 (a fixed range, so results never depend on today's date), and the check
    /// character matches.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.Length != 18 || value[0] is < '1' or > '8')
        {
            return false;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        return HasPlausibleBirthDate(value.Slice(6, 8)) && char.ToUpperInvariant(value[17]) == CheckCharacter(value[..17]);
    }

    /// <summary>The MOD 11-2 check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17Digits)
    {
        if (first17Digits.Length != 17)
        {
            throw new ArgumentException("expected 17 digits", nameof(first17Digits));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17Digits[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    private static bool HasPlausibleBirthDate(ReadOnlySpan<char> yyyymmdd) =>
        DateOnly.TryParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        && date.Year is >= 1900 and <= 2099;
}
