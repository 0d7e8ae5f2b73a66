namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// Asks a judge model for a pairwise verdict on every item, in both answer orders (model's answer as A, then the
/// baseline's as A), a few requests at a time. The judge never sees which answer is the model under test.
/// </summary>
/// <param name="client">The judge endpoint.</param>
/// <param name="servedModel">The model id to name in each request.</param>
/// <param name="maxTokens">The judge's token budget per verdict (room for a short explanation and the verdict).</param>
/// <param name="parallelRequests">Requests in flight at once.</param>
public sealed class ModelJudge(OpenAiJudgeClient client, string servedModel, int maxTokens, int parallelRequests = 4)
{
    /// <summary>The default token budget per verdict.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary>One judgement per item, in item order.</summary>
    public async Task<IReadOnlyList<PairwiseJudgement>> JudgeAsync(IReadOnlyList<SubjectiveItem> items, IReadOnlyList<string> modelAnswers, IReadOnlyList<string> baselineAnswers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(modelAnswers);
        ArgumentNullException.ThrowIfNull(baselineAnswers);
        if (modelAnswers.Count != items.Count || baselineAnswers.Count != items.Count)
        {
            throw new ArgumentException($"{items.Count} items, {modelAnswers.Count} model answers, {baselineAnswers.Count} baseline answers");
        }

        var outputs = new string[items.Count * 2];
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelRequests, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, outputs.Length), options, async (request, ct) =>
        {
            var item = request / 2;
            var modelFirst = request % 2 == 0;
            var messages = modelFirst
                ? PairwiseJudgePrompt.Build(items[item], modelAnswers[item], baselineAnswers[item])
                : PairwiseJudgePrompt.Build(items[item], baselineAnswers[item], modelAnswers[item]);
            outputs[request] = await client.CompleteAsync(servedModel, messages, maxTokens, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return [.. Enumerable.Range(0, items.Count).Select(i => new PairwiseJudgement(outputs[2 * i], outputs[(2 * i) + 1]))];
    }
}
