namespace Whetstone.Datasets.Preprocessing;

/// <summary>
/// The set of character n-grams of a text, lower-cased and with whitespace runs collapsed to one space first,
/// each hashed to 64 bits (FNV-1a). Character shingles work for languages written without spaces (Chinese) and
/// for short texts, where word shingles are too coarse.
/// </summary>
public static class Shingles
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>Sorted, distinct shingle hashes of <paramref name="text"/>.</summary>
    public static ulong[] Of(string text, int size)
    {
        ArgumentNullException.ThrowIfNull(text);
        var collapsed = Collapse(text);
        var hashes = new HashSet<ulong>();
        if (collapsed.Length <= size)
        {
            hashes.Add(Hash(collapsed));
        }
        else
        {
            for (var start = 0; start + size <= collapsed.Length; start++)
            {
                hashes.Add(Hash(collapsed.AsSpan(start, size)));
            }
        }

        var sorted = hashes.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>Jaccard similarity of two sorted shingle sets.</summary>
    public static double Jaccard(ulong[] first, ulong[] second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Length == 0 && second.Length == 0)
        {
            return 1;
        }

        int i = 0, j = 0, shared = 0;
        while (i < first.Length && j < second.Length)
        {
            if (first[i] == second[j])
            {
                shared++;
                i++;
                j++;
            }
            else if (first[i] < second[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)shared / (first.Length + second.Length - shared);
    }

    private static string Collapse(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text)
        {
            if (char.IsWhiteSpace(ch))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(char.ToLowerInvariant(ch));
        }

        return builder.ToString();
    }

    private static ulong Hash(ReadOnlySpan<char> shingle)
    {
        var hash = FnvOffset;
        foreach (var ch in shingle)
        {
            hash = (hash ^ ch) * FnvPrime;
        }

        return hash;
    }
}
