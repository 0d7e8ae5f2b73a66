namespace Whetstone.Serving.Batching;

/// <summary>What a batcher reports as it runs (the server's metrics).</summary>
public interface IBatchObserver
{
    /// <summary>A batch of <paramref name="size"/> requests started.</summary>
    void BatchStarted(int size);
}
