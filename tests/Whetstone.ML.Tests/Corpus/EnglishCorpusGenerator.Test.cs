using Whetstone.ML.Corpus;

namespace Whetstone.ML.Tests.Corpus;

public sealed class EnglishCorpusGeneratorTest
{
    [Fact]
    public void The_same_seed_gives_the_same_documents_and_another_seed_different_ones()
    {
        var first = new EnglishCorpusGenerator(5).Generate(50).ToList();
        var again = new EnglishCorpusGenerator(5).Generate(50).ToList();
        var other = new EnglishCorpusGenerator(6).Generate(50).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Documents_are_filled_sentences_stories_facts_and_questions()
    {
        var documents = new EnglishCorpusGenerator(1).Generate(400).ToList();

        Assert.DoesNotContain(documents, d => d.Contains('{', StringComparison.Ordinal) || d.Contains('}', StringComparison.Ordinal));
        Assert.Contains(documents, d => d.StartsWith("Question: ", StringComparison.Ordinal) && d.Contains("\nAnswer: ", StringComparison.Ordinal));
        Assert.Contains(documents, d => CorpusFacts.All.Any(f => d.Contains(f.Statement, StringComparison.Ordinal)));
        Assert.True(documents.Distinct().Count() > 350, "documents vary");
        Assert.All(documents, d => Assert.True(char.IsUpper(d[0])));
    }

    [Fact]
    public void Every_fact_has_three_wrong_answers_that_differ_from_the_right_one()
    {
        Assert.All(CorpusFacts.All, fact =>
        {
            Assert.Equal(3, fact.WrongAnswers.Count);
            Assert.DoesNotContain(fact.Answer, fact.WrongAnswers);
        });
    }
}
