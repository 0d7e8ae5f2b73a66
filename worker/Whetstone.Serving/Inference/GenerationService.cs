using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>
/// A language model behind a <see cref="DynamicBatcher{TItem, TResult}"/>. Requests that arrive together and ask
/// for the same settings decode together in one <see cref="ILanguageModelRunner.Generate"/> call, sharing every
/// forward pass (finished rows drop out of the batch). This is request-level batching, not continuous batching: a
/// request arriving while a batch decodes waits for that batch to finish. Sampled requests (temperature above 0)
/// run alone, because the runtime seeds each row's sampler by its row index and a seed must give the same text
/// however the request was batched.
/// </summary>
internal sealed class GenerationService : IServedModel
{
    private readonly ILanguageModelRunner _runner;
    private readonly DynamicBatcher<GenerationWork, GenerationResult> _batcher;

    public GenerationService(ILanguageModelRunner runner, BatchingOptions options, IBatchObserver? observer)
    {
        this._runner = runner;
        _batcher = new DynamicBatcher<GenerationWork, GenerationResult>(options, Execute, KeyOf, observer);
    }

    public ModelDescription Description => _runner.Description;

    public ChatTokenizer Tokenizer => _runner.Tokenizer;

    public int QueueDepth => _batcher.QueueDepth;

    /// <summary>Generates for one prompt in whatever batch it joins.</summary>
    public Task<BatchedResult<GenerationResult>> GenerateAsync(GenerationWork work, CancellationToken cancellationToken) =>
        _batcher.SubmitAsync(work, cancellationToken);

    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        GenerateAsync(new GenerationWork([_runner.Tokenizer.BosId], new SamplingOptions(MaxNewTokens: 2), null), cancellationToken);

    public void Dispose()
    {
        _batcher.Dispose();
        _runner.Dispose();
    }

    private IReadOnlyList<GenerationResult> Execute(IReadOnlyList<GenerationWork> work, CancellationToken cancellationToken)
    {
        var options = work[0].Options with { OnToken = (row, result) => work[row].OnToken?.Invoke(result) };
        return _runner.Generate([.. work.Select(w => w.Prompt)], options, cancellationToken);
    }

    private static object KeyOf(GenerationWork work)
    {
        var options = work.Options;
        if (options.Temperature > 0)
        {
            return new object();
        }
        return (options.MaxNewTokens, options.UseCache,
            string.Join(',', (options.StopTokenIds ?? []).Order()),
            string.Join('\u0001', options.StopSequences ?? []));
    }
}
