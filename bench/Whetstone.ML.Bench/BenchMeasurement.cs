using System.Text.Json.Serialization;

namespace Whetstone.ML.Bench;

/// <summary>One side's figures for one size and mode, as both the C# worker and the Python script print them (JSON).</summary>
/// <param name="Parameters">All parameters of the model (adapters included for LoRA).</param>
/// <param name="TrainableParameters">Parameters the optimizer updates (the adapters only for LoRA).</param>
/// <param name="MedianStepSeconds">Median optimizer step after warmup.</param>
/// <param name="TokensPerSecond">Batch × sequence over the median step.</param>
/// <param name="PeakMemoryMb">Peak resident memory of the measuring process.</param>
/// <param name="FinalLoss">Training loss of the last step.</param>
/// <param name="MatmulPeakFlops">Best float32 FLOP/s of a 2048×2048 matmul in the same process and library, at the same thread count.</param>
/// <param name="Blas">Which BLAS the side multiplies with (the reference prints its build and the system library).</param>
internal sealed record BenchMeasurement(
    [property: JsonPropertyName("parameters")] long Parameters,
    [property: JsonPropertyName("trainableParameters")] long TrainableParameters,
    [property: JsonPropertyName("medianStepSeconds")] double MedianStepSeconds,
    [property: JsonPropertyName("tokensPerSecond")] double TokensPerSecond,
    [property: JsonPropertyName("peakMemoryMb")] double PeakMemoryMb,
    [property: JsonPropertyName("finalLoss")] double FinalLoss,
    [property: JsonPropertyName("matmulPeakFlops")] double MatmulPeakFlops,
    [property: JsonPropertyName("blas")] string Blas);
