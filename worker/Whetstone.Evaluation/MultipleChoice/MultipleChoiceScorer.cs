using Whetstone.Evaluation.Classification;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>
/// Scores each choice of each question by the log-likelihood of its text (and the end token) as the assistant's reply
/// after the question, through <see cref="ILanguageModelRunner.ScoreContinuations"/>; the raw answer (acc) is the
/// choice with the highest summed log-likelihood, the length-normalised one (acc_norm) the highest mean per token.
/// </summary>
public static class MultipleChoiceScorer
{
    /// <summary>Answers every item.</summary>
    public static IReadOnlyList<MultipleChoiceItemResult> Score(
        ILanguageModelRunner model, IReadOnlyList<MultipleChoiceItem> items, MultipleChoiceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        var tokenizer = model.Tokenizer;
        var requests = new List<ContinuationRequest>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var examples = MultipleChoicePromptBuilder.FewShotExamples(items, i, options.FewShot, options.Seed);
            if (options.Plain)
            {
                var context = tokenizer.Encode(MultipleChoicePromptBuilder.PlainContext(item, examples), addBos: true).Select(id => (long)id).ToArray();
                foreach (var choice in item.Choices)
                {
                    requests.Add(new ContinuationRequest(context, tokenizer.Encode(MultipleChoicePromptBuilder.PlainAnswer(choice)).Select(id => (long)id).ToArray()));
                }

                continue;
            }

            var conversation = MultipleChoicePromptBuilder.Conversation(item, examples);
            foreach (var choice in item.Choices)
            {
                var (prompt, completion) = tokenizer.EncodeCompletion(conversation, choice);
                requests.Add(new ContinuationRequest(prompt.Select(id => (long)id).ToArray(), completion.Select(id => (long)id).ToArray()));
            }
        }

        var scores = model.ScoreContinuations(requests, options.BatchSize, cancellationToken);
        var results = new MultipleChoiceItemResult[items.Count];
        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var count = items[i].Choices.Count;
            var slice = scores.Skip(next).Take(count).ToArray();
            next += count;
            var sums = slice.Select(s => s.Sum).ToArray();
            var means = slice.Select(s => s.Mean).ToArray();
            results[i] = new MultipleChoiceItemResult(items[i], sums, slice.Select(s => s.TokenLogProbabilities.Count).ToArray(), LabelChoice.ArgMax(sums), LabelChoice.ArgMax(means));
        }

        return results;
    }
}
