namespace Whetstone.ML.Tokenization;

/// <summary>
/// Learns a byte-level BPE vocabulary from text: the smallest faithful form of the algorithm (count adjacent
/// symbol pairs within pre-tokenized words, merge the most frequent pair, repeat). Microsoft.ML.Tokenizers can
/// load and apply BPE but not train it; the result here is a standard <see cref="BpeDefinition"/> that it loads.
/// Deterministic: ties go to the pair whose text sorts first.
/// </summary>
public static class ByteLevelBpeTrainer
{
    /// <summary>
    /// Trains on <paramref name="texts"/> until the vocabulary (special tokens, 256 byte tokens, merged tokens)
    /// holds <paramref name="vocabularySize"/> entries or no pair occurs <paramref name="minimumPairCount"/> times.
    /// Special tokens take ids 0, 1, ... in the order given.
    /// </summary>
    public static BpeDefinition Train(IEnumerable<string> texts, int vocabularySize, IReadOnlyList<string> specialTokens, int minimumPairCount = 2)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(specialTokens);
        var tokens = new List<string>(specialTokens);
        tokens.AddRange(ByteLevelAlphabet.Characters.Select(c => c.ToString()));
        if (vocabularySize < tokens.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, $"must be at least {tokens.Count} (special tokens plus 256 bytes)");
        }
        var words = CountWords(texts, tokens);
        var ids = tokens.Select((token, id) => (token, id)).ToDictionary(e => e.token, e => e.id, StringComparer.Ordinal);
        var merges = new List<(string, string)>();
        while (tokens.Count < vocabularySize)
        {
            var best = FindMostFrequentPair(words, tokens, minimumPairCount);
            if (best is not { } pair)
            {
                break;
            }
            // Different pairs can spell the same token ("Ġt"+"h" and "Ġ"+"th"); it keeps one id.
            var text = tokens[pair.Left] + tokens[pair.Right];
            if (!ids.TryGetValue(text, out var merged))
            {
                merged = tokens.Count;
                tokens.Add(text);
                ids[text] = merged;
            }
            merges.Add((tokens[pair.Left], tokens[pair.Right]));
            foreach (var word in words)
            {
                word.Merge(pair.Left, pair.Right, merged);
            }
        }
        var vocabulary = ids;
        var added = specialTokens.Select((token, id) => new AddedToken(id, token, Special: true)).ToList();
        return new BpeDefinition(vocabulary, merges, added, ByteLevelPattern.Gpt2);
    }

    private static List<Word> CountWords(IEnumerable<string> texts, List<string> tokens)
    {
        var byteIds = new Dictionary<char, int>();
        for (var b = 0; b < 256; b++)
        {
            byteIds[ByteLevelAlphabet.ToChar((byte)b)] = tokens.Count - 256 + b;
        }
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var match in ByteLevelPattern.Gpt2Regex().EnumerateMatches(text))
            {
                var piece = ByteLevelAlphabet.Encode(text.Substring(match.Index, match.Length));
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
            }
        }
        return counts
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => new Word(entry.Key.Select(c => byteIds[c]).ToList(), entry.Value))
            .ToList();
    }

    private static (int Left, int Right)? FindMostFrequentPair(List<Word> words, List<string> tokens, int minimumPairCount)
    {
        var counts = new Dictionary<(int, int), int>();
        foreach (var word in words)
        {
            for (var i = 0; i + 1 < word.Symbols.Count; i++)
            {
                var pair = (word.Symbols[i], word.Symbols[i + 1]);
                counts[pair] = counts.GetValueOrDefault(pair) + word.Count;
            }
        }
        (int, int)? best = null;
        var bestCount = minimumPairCount - 1;
        foreach (var (pair, count) in counts)
        {
            if (count > bestCount || (count == bestCount && best is { } current && SortsBefore(pair, current, tokens)))
            {
                best = pair;
                bestCount = count;
            }
        }
        return best;
    }

    private static bool SortsBefore((int Left, int Right) pair, (int Left, int Right) other, List<string> tokens)
    {
        var left = string.CompareOrdinal(tokens[pair.Left], tokens[other.Left]);
        return left < 0 || (left == 0 && string.CompareOrdinal(tokens[pair.Right], tokens[other.Right]) < 0);
    }

    private sealed class Word(List<int> symbols, int count)
    {
        public List<int> Symbols { get; } = symbols;

        public int Count { get; } = count;

        public void Merge(int left, int right, int merged)
        {
            for (var i = 0; i + 1 < Symbols.Count; i++)
            {
                if (Symbols[i] == left && Symbols[i + 1] == right)
                {
                    Symbols[i] = merged;
                    Symbols.RemoveAt(i + 1);
                }
            }
        }
    }
}
