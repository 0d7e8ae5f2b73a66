using Whetstone.ML.Corpus;
using Whetstone.ML.Evaluation;
using Whetstone.ML.Models;
using Whetstone.ML.Tokenization;

namespace Whetstone.ML.Tests.Evaluation;

/// <summary>Multiple-choice accuracy by answer log-likelihood on the committed tiny model (examples/models/tiny-llama).</summary>
public sealed class MultipleChoiceEvaluatorTest
{
    private static string LocateModel()
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

    // The corpus facts as chat questions; the correct answer rotates through the positions.
    private static List<MultipleChoiceQuestion> FactQuestions() =>
    [
        .. CorpusFacts.All.Take(8).Select((fact, i) =>
        {
            var choices = fact.WrongAnswers.Take(3).ToList();
            var answer = i % (choices.Count + 1);
            choices.Insert(answer, fact.Answer);
            return new MultipleChoiceQuestion(fact.Question, choices, answer);
        }),
    ];

    private static int Reference(LanguageModel model, MultipleChoiceQuestion question, ChoiceScoring scoring)
    {
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < question.Choices.Count; i++)
        {
            var (prompt, completion) = model.Tokenizer.EncodeCompletion([new ChatMessage("user", question.Prompt)], question.Choices[i]);
            var tokens = model.Model.ScoreContinuation([.. prompt.Select(id => (long)id)], [.. completion.Select(id => (long)id)]);
            var score = scoring == ChoiceScoring.Sum ? tokens.Sum() : tokens.Average();
            if (score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        return best;
    }

    [Theory]
    [InlineData(ChoiceScoring.MeanPerToken)]
    [InlineData(ChoiceScoring.Sum)]
    public void Batched_padded_scoring_picks_what_scoring_each_choice_alone_picks(ChoiceScoring scoring)
    {
        using var model = LanguageModel.Load(LocateModel());
        var questions = FactQuestions();

        var batched = MultipleChoiceEvaluator.Evaluate(model, questions, new MultipleChoiceEvaluationOptions(scoring, BatchSize: 7));
        var expected = questions.Select(q => Reference(model, q, scoring)).ToList();

        Assert.Equal(expected, batched.Predictions);
        Assert.Equal(questions.Count, batched.Total);
        Assert.Equal(expected.Where((p, i) => p == questions[i].Answer).Count(), batched.Correct);
        Assert.Equal((double)batched.Correct / batched.Total, batched.Accuracy);
    }

    [Fact]
    public void Evaluation_leaves_a_model_that_was_training_in_training_mode()
    {
        using var model = LanguageModel.Load(LocateModel());
        var questions = FactQuestions().Take(4).ToList();
        model.Model.train();

        var result = MultipleChoiceEvaluator.Evaluate(model, questions);

        Assert.True(model.Model.training);
        Assert.Equal(4, result.Total);
    }

    [Fact]
    public void A_question_whose_answer_is_not_among_its_choices_is_rejected_by_index()
    {
        using var model = LanguageModel.Load(LocateModel());
        MultipleChoiceQuestion[] questions = [new("Which?", ["a", "b"], 0), new("Which?", ["a", "b"], 2)];

        var error = Assert.Throws<ArgumentException>(() => MultipleChoiceEvaluator.Evaluate(model, questions));

        Assert.Contains("question 1", error.Message, StringComparison.Ordinal);
    }
}
