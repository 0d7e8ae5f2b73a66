using Whetstone.Measurement;

namespace Whetstone.Evaluation.Speed;

/// <summary>One measured load: a batch size and a number of concurrent clients.</summary>
/// <param name="BatchSize">Inputs per call.</param>
/// <param name="Concurrency">Clients calling at once (calls are serialised through the model, so waiting counts in end-to-end latency).</param>
/// <param name="EndToEnd">Per-call latency from raw input to decided output (tokenising or feature copy, queueing, forward pass, arg-max).</param>
/// <param name="Inference">Per-call latency of the forward pass alone.</param>
/// <param name="ThroughputPerSecond">Inputs handled per second over the measured window (all clients).</param>
public sealed record SpeedCell(int BatchSize, int Concurrency, LatencySummary EndToEnd, LatencySummary Inference, double ThroughputPerSecond)
{
    /// <summary>The metric suffix naming this cell: <c>b8c4</c>.</summary>
    public string Key => $"b{BatchSize}c{Concurrency}";
}
