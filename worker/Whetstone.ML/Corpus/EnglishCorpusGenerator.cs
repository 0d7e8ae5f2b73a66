using System.Text;
using System.Text.RegularExpressions;

namespace Whetstone.ML.Corpus;

/// <summary>
/// Generates a small English corpus for pre-training tiny models: short stories about everyday domains
/// (kitchen, weather, travel, shopping, garden, pets, school, work, sport) built from templates, paragraphs
/// of consistent facts, and question/answer pairs. The same seed always gives the same documents.
/// </summary>
public sealed partial class EnglishCorpusGenerator(int seed)
{
    // Characters keep one value for a whole document, so a story stays about the same person, place and pet.
    private static readonly HashSet<string> DocumentSlots = ["name", "relative", "animal", "pet_name", "city"];

    private static readonly string[] DomainQuestions =
    [
        "Question: When does the {transport} to {city} leave?\nAnswer: The {transport} to {city} leaves at {time}.",
        "Question: What does {name} cook on {day}?\nAnswer: {name} cooks {food}.",
        "Question: What is the weather like in {city}?\nAnswer: It is {weather} in {city}.",
        "Question: What is the name of {name}'s {animal}?\nAnswer: The {animal} is called {pet_name}.",
        "Question: Where does {name} buy {item}?\nAnswer: At {shop}.",
        "Question: What does {name} play on {day}?\nAnswer: {name} plays {sport}.",
    ];

    private readonly Random _random = new(seed);

    /// <summary>Produces <paramref name="count"/> documents, each a paragraph or a few question/answer pairs.</summary>
    public IEnumerable<string> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var kind = _random.Next(10);
            yield return kind switch
            {
                < 6 => Story(),
                < 8 => FactParagraph(),
                _ => QuestionsAndAnswers(),
            };
        }
    }

    private string Story()
    {
        var domains = CorpusTemplates.ByDomain.Keys.ToArray();
        var templates = CorpusTemplates.ByDomain[domains[_random.Next(domains.Length)]];
        var bound = new Dictionary<string, string>(StringComparer.Ordinal);
        var chosen = templates.OrderBy(_ => _random.Next()).Take(_random.Next(3, Math.Min(6, templates.Length) + 1));
        return string.Join(" ", chosen.Select(t => Fill(t, bound)));
    }

    private string FactParagraph()
    {
        var facts = CorpusFacts.All.OrderBy(_ => _random.Next()).Take(_random.Next(2, 5));
        return string.Join(" ", facts.Select(f => f.Statement));
    }

    private string QuestionsAndAnswers()
    {
        var text = new StringBuilder();
        var pairs = _random.Next(2, 5);
        var bound = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < pairs; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
            }
            if (_random.Next(3) == 0)
            {
                text.Append(Fill(DomainQuestions[_random.Next(DomainQuestions.Length)], bound));
            }
            else
            {
                var fact = CorpusFacts.All[_random.Next(CorpusFacts.All.Count)];
                text.Append("Question: ").Append(fact.Question).Append("\nAnswer: ").Append(fact.Answer).Append('.');
            }
        }
        return text.ToString();
    }

    private string Fill(string template, Dictionary<string, string> documentValues)
    {
        // A slot used twice in one sentence means the same thing both times ("the train to Oslo ... the train").
        var sentenceValues = new Dictionary<string, string>(StringComparer.Ordinal);
        var filled = SlotPattern().Replace(template, match =>
        {
            var slot = match.Groups[1].Value;
            var scope = DocumentSlots.Contains(slot) ? documentValues : sentenceValues;
            if (!scope.TryGetValue(slot, out var value))
            {
                var options = CorpusVocabulary.Slots[slot];
                value = options[_random.Next(options.Length)];
                scope[slot] = value;
            }
            return value;
        });
        return char.ToUpperInvariant(filled[0]) + filled[1..];
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex SlotPattern();
}
