using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>
/// Request-level batching, for runners whose decoding cannot admit rows mid-decode (ONNX Runtime) or when
/// continuous batching is turned off: requests that arrive together and ask for the same settings decode together
/// in one <see cref="ILanguageModelRunner.Generate"/> call, sharing every forward pass; a request arriving while a
/// batch decodes waits for that batch to finish. Sampled requests (temperature above 0) run alone, because one
/// call seeds each row's sampler by its row index and a seed must give the same text however the request was batched.
/// </summary>
internal sealed class WholeRequestBatcher : IGenerationQueue
{
    private readonly ILanguageModelRunner _runner;
    private readonly DynamicBatcher<GenerationWork, GenerationResult> _batcher;

    public WholeRequestBatcher(ILanguageModelRunner runner, BatchingOptions options, IBatchObserver? observer)
    {
        this._runner = runner;
        _batcher = new DynamicBatcher<GenerationWork, GenerationResult>(options, Execute, KeyOf, observer);
    }

    public int QueueDepth => _batcher.QueueDepth;

    public Task<BatchedResult<GenerationResult>> SubmitAsync(GenerationWork work, CancellationToken cancellationToken) =>
        _batcher.SubmitAsync(work, cancellationToken);

    public void Dispose() => _batcher.Dispose();

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
