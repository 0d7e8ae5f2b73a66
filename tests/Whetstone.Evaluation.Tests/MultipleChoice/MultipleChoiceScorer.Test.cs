using Whetstone.Evaluation.MultipleChoice;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.Tests.MultipleChoice;

public sealed class MultipleChoiceScorerTest
{
    [Fact]
    public void Per_item_log_likelihoods_are_equal_at_batch_1_and_batch_16()
    {
        var items = MultipleChoiceFile.Read(RepositoryPaths.Of("examples/datasets/general-mc.jsonl"), 24);
        using var model = ModelLoader.LoadLanguageModel(RepositoryPaths.Of("examples/models/tiny-llama"), new RuntimeOptions(Threads: 1, PreferCuda: false));
        var one = MultipleChoiceScorer.Score(model, items, new MultipleChoiceOptions(FewShot: 1, Seed: 3, BatchSize: 1, Plain: true));
        var sixteen = MultipleChoiceScorer.Score(model, items, new MultipleChoiceOptions(FewShot: 1, Seed: 3, BatchSize: 16, Plain: true));
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal(one[i].TokenCounts, sixteen[i].TokenCounts);
            for (var c = 0; c < items[i].Choices.Count; c++)
            {
                // The runtime's contract is per token (1e-5 per token log-probability, whatever the batch size); a choice's
                // score sums its tokens, so it may drift by up to that much per token summed.
                var tolerance = 1e-5 * one[i].TokenCounts[c];
                Assert.True(Math.Abs(one[i].LogLikelihoods[c] - sixteen[i].LogLikelihoods[c]) <= tolerance,
                    $"item {i} choice {c}: {one[i].LogLikelihoods[c]} at batch 1, {sixteen[i].LogLikelihoods[c]} at batch 16, tolerance {tolerance} ({one[i].TokenCounts[c]} tokens)");
            }
        }

        // Asked in its pre-training form, the shipped model knows the corpus facts (its README: 97 %); chance is 0.25.
        var facts = one.Where(r => r.Item.Subject == "facts").ToArray();
        Assert.True(facts.Count(r => r.CorrectNormalized) > facts.Length * 0.9, $"{facts.Count(r => r.CorrectNormalized)} of {facts.Length} facts");
    }

    [Fact]
    public void Few_shot_examples_repeat_for_a_seed_and_never_include_the_item()
    {
        var items = MultipleChoiceFile.Read(RepositoryPaths.Of("examples/datasets/general-mc.jsonl"), 50);
        var first = MultipleChoicePromptBuilder.FewShotExamples(items, 7, 3, 42);
        Assert.Equal(first, MultipleChoicePromptBuilder.FewShotExamples(items, 7, 3, 42));
        Assert.Equal(3, first.Count);
        Assert.DoesNotContain(items[7], first);
    }
}
