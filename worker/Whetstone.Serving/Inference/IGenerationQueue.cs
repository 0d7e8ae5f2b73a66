using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Inference;

/// <summary>How completions reach the model: <see cref="DecodeScheduler"/> (continuous) or <see cref="WholeRequestBatcher"/>.</summary>
internal interface IGenerationQueue : IDisposable
{
    /// <summary>Requests waiting to start decoding.</summary>
    int QueueDepth { get; }

    /// <summary>
    /// Queues <paramref name="work"/> and completes with its answer; throws <see cref="QueueFullException"/> when the
    /// queue is full; cancelling <paramref name="cancellationToken"/> takes the request out (of the queue or the batch).
    /// </summary>
    Task<BatchedResult<GenerationResult>> SubmitAsync(GenerationWork work, CancellationToken cancellationToken);
}
