using System.Globalization;

namespace Whetstone.Artifacts.Bench;

/// <summary>One timed operation: bytes moved and the best wall time over its repetitions.</summary>
internal sealed record Measurement(string Operation, string Store, long BytesPerRun, int Runs, TimeSpan Best, string? Baseline)
{
    public double MiBPerSecond => BytesPerRun / 1048576.0 / Best.TotalSeconds;

    public string Format(IReadOnlyDictionary<string, Measurement> all)
    {
        var ratio = Baseline is not null && all.TryGetValue(Baseline, out var b) ? (Best.TotalSeconds / b.Best.TotalSeconds).ToString("0.00x", CultureInfo.InvariantCulture) + $" of {Baseline}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {Operation,-28} | {Store,-6} | {BytesPerRun / 1048576.0,8:0.#} MiB | {Runs,4} | {Best.TotalMilliseconds,9:0.0} ms | {MiBPerSecond,9:0.0} MiB/s | {ratio,-30} |");
    }
}
