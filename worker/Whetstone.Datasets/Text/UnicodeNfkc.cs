using System.Globalization;
using System.Text;

namespace Whetstone.Datasets.Text;

/// <summary>
/// Unicode NFKC normalization (compatibility decomposition, canonical ordering, canonical composition).
/// </summary>
/// <remarks>
/// The worker runs with <c>InvariantGlobalization</c>, where <see cref="string.Normalize()"/> leaves text
/// untouched, so this type carries its own tables (Text/NfkcTables.txt, generated from Python's
/// unicodedata by Text/generate-nfkc-tables.py). Hangul syllables are decomposed and composed
/// algorithmically as the standard describes.
/// </remarks>
public static class UnicodeNfkc
{
    private const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    private const int HangulLCount = 19, HangulVCount = 21, HangulTCount = 28;
    private const int HangulNCount = HangulVCount * HangulTCount, HangulSCount = HangulLCount * HangulNCount;

    private static readonly Lazy<Tables> LoadedTables = new(Tables.Load);

    /// <summary>Returns <paramref name="text"/> in Unicode Normalization Form KC.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsTriviallyNormalized(text))
        {
            return text;
        }

        var tables = LoadedTables.Value;
        var codePoints = Decompose(text, tables);
        ReorderCombiningMarks(codePoints, tables);
        Compose(codePoints, tables);
        var builder = new StringBuilder(text.Length);
        foreach (var codePoint in codePoints)
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }

        return builder.ToString();
    }

    // Everything below U+00A0 is NFKC-stable, which covers most English text without touching the tables.
    private static bool IsTriviallyNormalized(string text)
    {
        foreach (var ch in text)
        {
            if (ch >= '\u00A0')
            {
                return false;
            }
        }

        return true;
    }

    private static List<int> Decompose(string text, Tables tables)
    {
        var result = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var codePoint = rune.Value;
            if (codePoint is >= HangulSBase and < HangulSBase + HangulSCount)
            {
                var index = codePoint - HangulSBase;
                result.Add(HangulLBase + (index / HangulNCount));
                result.Add(HangulVBase + (index % HangulNCount / HangulTCount));
                if (index % HangulTCount != 0)
                {
                    result.Add(HangulTBase + (index % HangulTCount));
                }
            }
            else if (tables.Decompositions.TryGetValue(codePoint, out var decomposition))
            {
                result.AddRange(decomposition);
            }
            else
            {
                result.Add(codePoint);
            }
        }

        return result;
    }

    private static void ReorderCombiningMarks(List<int> codePoints, Tables tables)
    {
        // Stable insertion sort within each run of non-starters (runs are short).
        for (var i = 1; i < codePoints.Count; i++)
        {
            var current = codePoints[i];
            var currentClass = tables.CombiningClass(current);
            if (currentClass == 0)
            {
                continue;
            }

            var j = i - 1;
            while (j >= 0 && tables.CombiningClass(codePoints[j]) > currentClass)
            {
                codePoints[j + 1] = codePoints[j];
                j--;
            }

            codePoints[j + 1] = current;
        }
    }

    private static void Compose(List<int> codePoints, Tables tables)
    {
        if (codePoints.Count == 0)
        {
            return;
        }

        var output = new List<int>(codePoints.Count) { codePoints[0] };
        var starterPosition = 0;
        var lastClass = tables.CombiningClass(codePoints[0]) == 0 ? 0 : 256;
        for (var i = 1; i < codePoints.Count; i++)
        {
            var current = codePoints[i];
            var currentClass = tables.CombiningClass(current);
            var composite = ComposePair(output[starterPosition], current, tables);
            if (composite >= 0 && (lastClass < currentClass || lastClass == 0))
            {
                output[starterPosition] = composite;
                continue;
            }

            if (currentClass == 0)
            {
                starterPosition = output.Count;
            }

            lastClass = currentClass;
            output.Add(current);
        }

        codePoints.Clear();
        codePoints.AddRange(output);
    }

    private static int ComposePair(int first, int second, Tables tables)
    {
        if (first is >= HangulLBase and < HangulLBase + HangulLCount
            && second is >= HangulVBase and < HangulVBase + HangulVCount)
        {
            return HangulSBase + ((((first - HangulLBase) * HangulVCount) + (second - HangulVBase)) * HangulTCount);
        }

        if (first is >= HangulSBase and < HangulSBase + HangulSCount && (first - HangulSBase) % HangulTCount == 0
            && second is > HangulTBase and < HangulTBase + HangulTCount)
        {
            return first + (second - HangulTBase);
        }

        return tables.Compositions.TryGetValue(((long)first << 21) | (uint)second, out var composite) ? composite : -1;
    }

    private sealed class Tables
    {
        public Dictionary<int, int[]> Decompositions { get; } = [];

        public Dictionary<int, int> CombiningClasses { get; } = [];

        public Dictionary<long, int> Compositions { get; } = [];

        public int CombiningClass(int codePoint) =>
            codePoint < 0x300 ? 0 : CombiningClasses.GetValueOrDefault(codePoint);

        public static Tables Load()
        {
            var tables = new Tables();
            using var stream = typeof(UnicodeNfkc).Assembly.GetManifestResourceStream("Whetstone.Datasets.Text.NfkcTables.txt")
                ?? throw new InvalidOperationException("The NFKC tables are missing from the assembly.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var parts = line.Split(' ');
                var codePoint = ParseHex(parts[1]);
                switch (parts[0])
                {
                    case "D":
                        tables.Decompositions[codePoint] = parts.Skip(2).Select(ParseHex).ToArray();
                        break;
                    case "C":
                        tables.CombiningClasses[codePoint] = int.Parse(parts[2], CultureInfo.InvariantCulture);
                        break;
                    case "P":
                        tables.Compositions[((long)codePoint << 21) | (uint)ParseHex(parts[2])] = ParseHex(parts[3]);
                        break;
                }
            }

            return tables;
        }

        private static int ParseHex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
