using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Inference;

/// <summary>A loaded model behind its batcher.</summary>
internal interface IServedModel : IDisposable
{
    /// <summary>The runner's description (kind, backend, device).</summary>
    ModelDescription Description { get; }

    /// <summary>Requests waiting for a batch.</summary>
    int QueueDepth { get; }

    /// <summary>Runs the model once through the batcher so the first real request does not pay for first-run costs.</summary>
    Task WarmUpAsync(CancellationToken cancellationToken);
}
