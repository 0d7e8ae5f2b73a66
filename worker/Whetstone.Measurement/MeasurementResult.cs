namespace Whetstone.Measurement;

/// <summary>One measured workload with the machine it ran on.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="WarmupRuns">Calls left out of the figures.</param>
/// <param name="Latency">Per-call latency of the measured calls.</param>
/// <param name="ItemsPerSecond">Items of all measured calls over their total time.</param>
/// <param name="TokensPerSecond">Tokens of all measured calls over their total time (0 when no call reported tokens).</param>
/// <param name="TimeToFirstTokenMs">Median time to the first token over calls that reported one, else null.</param>
/// <param name="PeakWorkingSetBytes">The process's peak resident memory after the runs (includes everything loaded before).</param>
/// <param name="ModelBytes">Size of the model's files on disk, as given by the caller (0 when not applicable).</param>
/// <param name="Machine">CPU, instruction-set flags, threads and load average at the end of the runs.</param>
public sealed record MeasurementResult(
    string Name,
    int WarmupRuns,
    LatencySummary Latency,
    double ItemsPerSecond,
    double TokensPerSecond,
    double? TimeToFirstTokenMs,
    long PeakWorkingSetBytes,
    long ModelBytes,
    MachineFacts Machine);
