namespace Whetstone.Serving.Batching;

/// <summary>One request's answer and how it got there.</summary>
/// <param name="Value">The model's answer for this request.</param>
/// <param name="QueueSeconds">Seconds between entering the queue and the batch starting.</param>
/// <param name="InferenceSeconds">Seconds the batch took.</param>
/// <param name="BatchSize">Requests in the batch.</param>
public sealed record BatchedResult<TResult>(TResult Value, double QueueSeconds, double InferenceSeconds, int BatchSize);
