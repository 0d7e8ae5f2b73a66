using System.Collections.Concurrent;
using Whetstone.Serving.Batching;

namespace Whetstone.Serving.Tests.Inference;

/// <summary>Keeps the size of every batch (decoding step) a queue reports, in order.</summary>
internal sealed class RecordingBatchObserver : IBatchObserver
{
    private readonly ConcurrentQueue<int> _sizes = new();

    public IReadOnlyList<int> Sizes => [.. _sizes];

    public void BatchStarted(int size) => _sizes.Enqueue(size);
}
