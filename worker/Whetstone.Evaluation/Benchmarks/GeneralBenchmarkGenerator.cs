using System.Text.RegularExpressions;
using Whetstone.Evaluation.MultipleChoice;
using Whetstone.ML.Corpus;

namespace Whetstone.Evaluation.Benchmarks;

/// <summary>
/// The general-ability benchmark of the shipped base model: multiple-choice questions about what its pre-training
/// corpus (<see cref="EnglishCorpusGenerator"/>) teaches. Subject <c>facts</c> (category knowledge): every corpus fact
/// with its own wrong answers. Subjects <c>travel</c>, <c>cooking</c>, <c>weather</c>, <c>pets</c>, <c>shopping</c>,
/// <c>sport</c> (category language): the corpus's question forms filled with its vocabulary, the right answer from the
/// slot the corpus answers with and the wrong ones from other slots (a time is asked, a food is wrong). The same seed
/// gives the same file; choices are shuffled so the answer's position carries no signal.
/// </summary>
public sealed partial class GeneralBenchmarkGenerator(int seed = 7)
{
    private static readonly (string Subject, string Question, string AnswerSlot, string Answer)[] Forms =
    [
        ("travel", "When does the {transport} to {city} leave?", "time", "The {transport} to {city} leaves at {time}."),
        ("cooking", "What does {name} cook on {day}?", "food", "{name} cooks {food}."),
        ("weather", "What is the weather like in {city}?", "weather", "It is {weather} in {city}."),
        ("pets", "What is the name of {name}'s {animal}?", "pet_name", "The {animal} is called {pet_name}."),
        ("shopping", "Where does {name} buy {item}?", "shop", "At {shop}."),
        ("sport", "What does {name} play on {day}?", "sport", "{name} plays {sport}."),
    ];

    private static readonly string[] DistractorSlots = ["time", "food", "weather", "pet_name", "shop", "sport", "drink", "season", "subject"];

    /// <summary>At least <paramref name="count"/> distinct questions (all facts first, then generated forms).</summary>
    public IReadOnlyList<MultipleChoiceItem> Generate(int count = 432)
    {
        var random = new Random(seed);
        var items = new List<MultipleChoiceItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fact in CorpusFacts.All)
        {
            items.Add(Shuffled(random, $"general-{items.Count + 1:D4}", fact.Question, fact.Answer, fact.WrongAnswers, "facts", "knowledge"));
            seen.Add(fact.Question);
        }

        var attempts = 0;
        while (items.Count < count && attempts++ < count * 50)
        {
            var form = Forms[random.Next(Forms.Length)];
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var question = Fill(form.Question, values, random);
            var answerSentence = Fill(form.Answer, values, random);
            if (!seen.Add(question))
            {
                continue;
            }

            var wrong = DistractorSlots.Where(s => s != form.AnswerSlot && !(form.AnswerSlot == "shop" && s == "subject"))
                .OrderBy(_ => random.Next()).Take(3)
                .Select(slot => Sentence(form.Answer, form.AnswerSlot, values, CorpusVocabulary.Slots[slot][random.Next(CorpusVocabulary.Slots[slot].Length)]))
                .ToArray();
            items.Add(Shuffled(random, $"general-{items.Count + 1:D4}", question, answerSentence, wrong, form.Subject, "language"));
        }

        return items;
    }

    private static MultipleChoiceItem Shuffled(Random random, string id, string question, string answer, IReadOnlyList<string> wrong, string subject, string category)
    {
        var choices = wrong.Prepend(answer).ToArray();
        random.Shuffle(choices);
        return new MultipleChoiceItem(id, question, choices, Array.IndexOf(choices, answer), subject, category);
    }

    private static string Fill(string template, Dictionary<string, string> values, Random random)
    {
        var text = SlotPattern().Replace(template, match =>
        {
            var slot = match.Groups[1].Value;
            if (!values.TryGetValue(slot, out var value))
            {
                var options = CorpusVocabulary.Slots[slot];
                values[slot] = value = options[random.Next(options.Length)];
            }

            return value;
        });
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Sentence(string template, string replacedSlot, Dictionary<string, string> values, string replacement)
    {
        var text = SlotPattern().Replace(template, match => match.Groups[1].Value == replacedSlot ? replacement : values[match.Groups[1].Value]);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex SlotPattern();
}
