using System.Text;

namespace Whetstone.Evaluation.Bench;

/// <summary>
/// Training and test records for the contamination check, generated from a seed: two content fields each (a prompt
/// of 12–40 words and an answer of 10–60 words) drawn Zipf-like from 20,000 made-up words, so common words repeat as
/// in text while 13-word runs almost never do by chance. 80 % of all prompts open with the same 15-word instruction (a
/// template's boilerplate, which the check must ignore). Planted: 1 % of test records carry a 20-word run copied from
/// a training answer of at least 20 words, 0.2 % are exact copies of a training record; their indices are returned so recall is checked.
/// </summary>
internal sealed class SyntheticRecords
{
    private const string Boilerplate = "please answer the customer politely and state the full policy before you close this conversation today";
    private readonly Random _random;
    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;

    public SyntheticRecords(int seed)
    {
        _random = new Random(seed);
        string[] syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "pi", "qua", "zen", "bru", "fo", "gal", "hin", "jor", "nex", "ost", "ply", "wim"];
        _vocabulary = [.. Enumerable.Range(0, 20_000).Select(i => Word(i, syllables))];
        var weights = Enumerable.Range(1, _vocabulary.Length).Select(rank => 1.0 / rank).ToArray();
        var total = weights.Sum();
        var running = 0.0;
        _cumulative = [.. weights.Select(w => running += w / total)];
    }

    /// <summary>The training records, the test records, and which test records were planted (copied n-grams or exact copies).</summary>
    public (List<string[]> Training, List<string[]> Test, HashSet<int> Planted) Generate(int trainingCount, int testCount)
    {
        var training = new List<string[]>(trainingCount);
        for (var i = 0; i < trainingCount; i++)
        {
            training.Add(Record());
        }

        var test = new List<string[]>(testCount);
        var planted = new HashSet<int>();
        for (var i = 0; i < testCount; i++)
        {
            var draw = _random.NextDouble();
            if (draw < 0.002)
            {
                test.Add(training[_random.Next(trainingCount)]);
                planted.Add(i);
            }
            else if (draw < 0.012)
            {
                string[] source;
                do
                {
                    source = training[_random.Next(trainingCount)][1].Split(' ');
                }
                while (source.Length < 20);

                var start = _random.Next(source.Length - 20 + 1);
                var record = Record();
                record[1] = Sentence(5) + " " + string.Join(' ', source.Skip(start).Take(20)) + " " + Sentence(5);
                test.Add(record);
                planted.Add(i);
            }
            else
            {
                test.Add(Record());
            }
        }

        return (training, test, planted);
    }

    private string[] Record()
    {
        var prompt = Sentence(_random.Next(12, 41));
        return [_random.NextDouble() < 0.8 ? Boilerplate + " " + prompt : prompt, Sentence(_random.Next(10, 61))];
    }

    private string Sentence(int words)
    {
        var text = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            var index = Array.BinarySearch(_cumulative, _random.NextDouble());
            text.Append(w == 0 ? "" : " ").Append(_vocabulary[index < 0 ? Math.Min(~index, _vocabulary.Length - 1) : index]);
        }

        return text.ToString();
    }

    private static string Word(int index, string[] syllables)
    {
        var word = new StringBuilder();
        var rest = index + syllables.Length;
        while (rest > 0)
        {
            word.Append(syllables[rest % syllables.Length]);
            rest /= syllables.Length;
        }

        return word.ToString();
    }
}
