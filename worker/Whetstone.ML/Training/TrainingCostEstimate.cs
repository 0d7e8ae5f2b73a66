namespace Whetstone.ML.Training;

/// <summary>A job's compute cost before it runs (estimate) or after (measured); maps to api.md status.cost.</summary>
/// <param name="Flops">Floating-point operations of the whole run (0 for a measured cost, where only time counts).</param>
/// <param name="GpuSeconds">GPU-seconds: wall seconds × GPU count.</param>
/// <param name="Cost">GPU-seconds / 3600 × gpuHourPrice.</param>
public sealed record TrainingCostEstimate(double Flops, double GpuSeconds, double Cost);
