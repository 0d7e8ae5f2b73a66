using Whetstone.ML.Models;
using Whetstone.ML.Models.Pretraining;

namespace Whetstone.ML.Tests.Models;

/// <summary>The committed base model under examples/models/tiny-llama loads through the real loaders and knows its corpus.</summary>
public sealed class ExampleModelTest
{
    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "examples", "models", "tiny-llama");
            if (File.Exists(Path.Combine(candidate, "config.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"examples/models/tiny-llama not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void The_tiny_example_model_answers_most_corpus_facts_far_above_chance()
    {
        using var model = LanguageModel.Load(Locate());

        var accuracy = FactQuiz.Accuracy(model);

        // Four options per question: chance is 25 %.
        Assert.True(accuracy >= 0.6, $"accuracy {accuracy:P0}");
    }

    [Fact]
    public void The_tiny_example_model_continues_a_fact_greedily()
    {
        using var model = LanguageModel.Load(Locate());

        var reply = model.Generate("Question: What do bees make?\nAnswer:", maxNewTokens: 4);

        Assert.StartsWith(" honey", reply, StringComparison.Ordinal);
    }
}
