using System.Globalization;
using System.Text;

namespace Whetstone.Evaluation.Contamination;

/// <summary>
/// Test/train contamination by word n-gram overlap over content fields only (question and choices, message texts;
/// never labels or roles), plus exact duplicates. Words are lower-cased runs of letters and digits (Unicode), so
/// punctuation and spacing do not hide a copy. N-grams are kept as 64-bit hashes with the number of training records
/// holding each, so memory grows with the distinct n-grams of the training set, not with its text; n-grams held by
/// more than <see cref="ContaminationOptions.MaxDocumentShare"/> of training records (a template's fixed wording) are
/// ignored. N-grams never span two fields: a question's last words followed by a standard answer list would
/// otherwise match every other question ending the same way (templated data sets flagged most of their test split
/// that way); for the same reason a test n-gram holding a word of an ignored n-gram is not looked up. A test record is contaminated when it is an exact duplicate of a training record or shares a
/// non-ignored n-gram with one. Fields shorter than n words can only be part of an exact duplicate.
/// </summary>
public sealed class NgramContaminationCheck(ContaminationOptions options)
{
    /// <summary>Checks every test record (its content texts) against every training record.</summary>
    public ContaminationFinding Run(IReadOnlyList<IEnumerable<string>> training, IReadOnlyList<IEnumerable<string>> test, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.NgramSize, 1);
        var documentCount = new Dictionary<ulong, int>();
        var firstHolder = new Dictionary<ulong, int>();
        var exact = new Dictionary<ulong, int>();
        for (var t = 0; t < training.Count; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fields = FieldWords(training[t]);
            exact.TryAdd(Hash(string.Join(' ', fields.SelectMany(f => f))), t);
            foreach (var gram in DistinctNgrams(fields))
            {
                documentCount[gram] = documentCount.GetValueOrDefault(gram) + 1;
                firstHolder.TryAdd(gram, t);
            }
        }

        var limit = Math.Max(1, (int)Math.Floor(options.MaxDocumentShare * training.Count));
        var ignored = documentCount.Count(p => p.Value > limit);
        var contaminated = new List<int>();
        var examples = new List<ContaminatedRecord>();
        var duplicates = 0;
        for (var i = 0; i < test.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fields = FieldWords(test[i]);
            var words = fields.SelectMany(f => f).ToList();
            var joined = string.Join(' ', words);
            ContaminatedRecord? found = null;
            if (words.Count > 0 && exact.TryGetValue(Hash(joined), out var twin))
            {
                duplicates++;
                found = new ContaminatedRecord(i, twin, ExactDuplicate: true, words.Count >= options.NgramSize ? string.Join(' ', words.Take(options.NgramSize)) : joined);
            }
            else
            {
                foreach (var field in fields)
                {
                    found ??= FirstSharedNgram(i, field, documentCount, firstHolder, limit);
                }
            }

            if (found is not null)
            {
                contaminated.Add(i);
                if (examples.Count < options.MaxExamples)
                {
                    examples.Add(found);
                }
            }
        }

        return new ContaminationFinding(test.Count, contaminated, duplicates, ignored, examples);
    }

    /// <summary>
    /// The first n-gram of a test field that training records share, not counting n-grams that touch boilerplate: a
    /// word inside an ignored n-gram (one held by more than the share limit) is boilerplate, and an n-gram holding
    /// such a word is not looked up. Otherwise an n-gram made of a template's last n − 1 words and the first word
    /// after it is held by every training record that opens with the template and that word, often fewer than the
    /// limit, and it would flag most templated test records (measured: 72 % of clean synthetic records at 100k × 10k).
    /// </summary>
    private ContaminatedRecord? FirstSharedNgram(int testIndex, IReadOnlyList<string> field, Dictionary<ulong, int> documentCount, Dictionary<ulong, int> firstHolder, int limit)
    {
        var starts = field.Count - options.NgramSize + 1;
        if (starts <= 0)
        {
            return null;
        }

        var texts = new string[starts];
        var holders = new int[starts];
        var boilerplate = new bool[field.Count];
        for (var start = 0; start < starts; start++)
        {
            texts[start] = string.Join(' ', field.Skip(start).Take(options.NgramSize));
            holders[start] = documentCount.GetValueOrDefault(Hash(texts[start]));
            if (holders[start] > limit)
            {
                Array.Fill(boilerplate, true, start, options.NgramSize);
            }
        }

        for (var start = 0; start < starts; start++)
        {
            if (holders[start] > 0 && holders[start] <= limit && Array.IndexOf(boilerplate, true, start, options.NgramSize) < 0)
            {
                return new ContaminatedRecord(testIndex, firstHolder[Hash(texts[start])], ExactDuplicate: false, texts[start]);
            }
        }

        return null;
    }

    /// <summary>The lower-cased words of a record's content fields, in order.</summary>
    public static IReadOnlyList<string> Words(IEnumerable<string> fields) => [.. FieldWords(fields).SelectMany(f => f)];

    /// <summary>The lower-cased words of each content field, field by field.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> FieldWords(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return [.. fields.Select(field => WordsOf([field]))];
    }

    private static List<string> WordsOf(IEnumerable<string> fields)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var field in fields)
        {
            foreach (var ch in field)
            {
                if (char.IsLetterOrDigit(ch))
                {
                    current.Append(char.ToLower(ch, CultureInfo.InvariantCulture));
                }
                else if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }

            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        return words;
    }

    private HashSet<ulong> DistinctNgrams(IReadOnlyList<IReadOnlyList<string>> fields)
    {
        var grams = new HashSet<ulong>();
        foreach (var words in fields)
        {
            for (var start = 0; start + options.NgramSize <= words.Count; start++)
            {
                grams.Add(Hash(string.Join(' ', words.Skip(start).Take(options.NgramSize))));
            }
        }

        return grams;
    }

    // 64-bit FNV-1a over the UTF-16 code units: a collision among a few million n-grams is vanishingly unlikely.
    private static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 1099511628211UL;
        }

        return hash;
    }
}
