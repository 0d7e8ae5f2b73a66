using System.Globalization;
using System.Text;
using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Generation;

/// <summary>Made-up personal data in realistic layouts; ID and card numbers carry valid checksums.</summary>
internal static class SyntheticPii
{
    private static readonly string[] Regions = ["110101", "310104", "440305", "510107", "330106", "420102"];
    private static readonly string[] Domains = ["example.com", "mail.example.org", "example.net"];

    public static string Email(SeededRandom random, string name) =>
        $"{name.ToLowerInvariant()}.{random.Pick(["smith", "chen", "garcia", "mueller", "tanaka", "okafor"])}{random.Between(1, 99)}@{random.Pick(Domains)}";

    public static string Phone(SeededRandom random)
    {
        string Digits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));
        var mobile = $"1{random.Between(3, 9)}{random.Next(10)}";
        return random.Next(10) switch
        {
            0 => $"+1 555 {Digits(3)} {Digits(4)}",
            1 => $"(555) {Digits(3)}-{Digits(4)}",
            2 => $"555-{Digits(3)}-{Digits(4)}",
            3 => $"+44 20 7946 {Digits(4)}",
            4 => $"+44{random.Between(1, 9)}{Digits(9)}",
            5 => $"+86 {mobile} {Digits(4)} {Digits(4)}",
            6 => $"{mobile}{Digits(8)}",
            7 => $"{mobile}-{Digits(4)}-{Digits(4)}",
            8 => $"010-{random.Between(2, 9)}{Digits(7)}",
            _ => $"0755-{random.Between(2, 9)}{Digits(7)}",
        };
    }

    public static string IdNumber(SeededRandom random)
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(random.Next(365 * 55));
        var first17 = random.Pick(Regions) + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + random.Between(0, 999).ToString("000", CultureInfo.InvariantCulture);
        return first17 + ChineseIdNumber.CheckCharacter(first17);
    }

    public static string BankCard(SeededRandom random)
    {
        var (prefix, length) = random.Next(4) switch
        {
            0 => ("4", 16),
            1 => ($"5{random.Between(1, 5)}", 16),
            2 => ($"3{random.Pick(new[] { 4, 7 })}", 15),
            _ => ("62", 19),
        };
        var payload = new StringBuilder(prefix);
        while (payload.Length < length - 1)
        {
            payload.Append((char)('0' + random.Next(10)));
        }

        var digits = payload.Append(LuhnCheckDigit(payload.ToString())).ToString();
        var separator = random.Pick(["", " ", "-"]);
        if (separator.Length == 0)
        {
            return digits;
        }

        return length == 15
            ? $"{digits[..4]}{separator}{digits[4..10]}{separator}{digits[10..]}"
            : string.Join(separator, digits.Chunk(4).Select(chunk => new string(chunk)));
    }

    private static char LuhnCheckDigit(string payload)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = payload.Length - 1; i >= 0; i--)
        {
            var digit = payload[i] - '0';
            if (doubleIt)
            {
                digit = digit * 2 > 9 ? (digit * 2) - 9 : digit * 2;
            }

            sum += digit;
            doubleIt = !doubleIt;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
