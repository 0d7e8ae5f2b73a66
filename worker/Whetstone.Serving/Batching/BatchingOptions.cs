namespace Whetstone.Serving.Batching;

/// <summary>How a <see cref="DynamicBatcher{TItem, TResult}"/> groups requests.</summary>
/// <param name="MaxBatchSize">Largest batch handed to the model.</param>
/// <param name="MaxDelay">Longest the oldest request waits for others while the server is busy.</param>
/// <param name="QueueCapacity">Requests that may wait; beyond it <see cref="QueueFullException"/>.</param>
public sealed record BatchingOptions(int MaxBatchSize, TimeSpan MaxDelay, int QueueCapacity);
