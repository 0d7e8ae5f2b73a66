using System.Text.Json.Serialization;

namespace Whetstone.ML.Bench;

/// <summary>One side's figures for one size, as both the C# worker and the Python script print them (JSON).</summary>
internal sealed record BenchMeasurement(
    [property: JsonPropertyName("parameters")] long Parameters,
    [property: JsonPropertyName("medianStepSeconds")] double MedianStepSeconds,
    [property: JsonPropertyName("tokensPerSecond")] double TokensPerSecond,
    [property: JsonPropertyName("peakMemoryMb")] double PeakMemoryMb,
    [property: JsonPropertyName("finalLoss")] double FinalLoss);
