using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>
/// A language model behind its generation queue: continuous batching (<see cref="DecodeScheduler"/>) when the
/// runner's decoding admits rows mid-decode (TorchSharp, and ONNX Runtime with a graph exported with past key/value
/// inputs) and the server asks for it, else request-level batching (<see cref="WholeRequestBatcher"/>).
/// </summary>
internal sealed class GenerationService : IServedModel
{
    private readonly ILanguageModelRunner _runner;
    private readonly IGenerationQueue _queue;

    public GenerationService(ILanguageModelRunner runner, BatchingOptions options, bool continuousBatching, IBatchObserver? observer)
    {
        this._runner = runner;
        _queue = continuousBatching && runner is IContinuousBatchingRunner { SupportsAdmission: true } continuous
            ? new DecodeScheduler(continuous, options, observer)
            : new WholeRequestBatcher(runner, options, observer);
    }

    public ModelDescription Description => _runner.Description;

    public ChatTokenizer Tokenizer => _runner.Tokenizer;

    public int QueueDepth => _queue.QueueDepth;

    /// <summary>Generates for one prompt in whatever batch it joins.</summary>
    public Task<BatchedResult<GenerationResult>> GenerateAsync(GenerationWork work, CancellationToken cancellationToken) =>
        _queue.SubmitAsync(work, cancellationToken);

    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        GenerateAsync(new GenerationWork([_runner.Tokenizer.BosId], new SamplingOptions(MaxNewTokens: 2), null), cancellationToken);

    public void Dispose()
    {
        _queue.Dispose();
        _runner.Dispose();
    }
}
