using System.Diagnostics;

namespace Whetstone.Measurement;

/// <summary>
/// Measures a call: warm-up calls first (not counted), then a fixed number of calls or calls until a fixed
/// duration has passed; per-call latency, throughput, time to first token, peak working set and machine facts.
/// </summary>
public sealed class Harness
{
    private readonly TimeProvider _time;

    /// <summary>Creates a harness on <paramref name="time"/> (the system clock by default; tests pass a fake).</summary>
    public Harness(TimeProvider? time = null) => this._time = time ?? TimeProvider.System;

    /// <summary>Runs <paramref name="call"/> as <paramref name="options"/> say and summarises the measured calls.</summary>
    public MeasurementResult Measure(string name, MeasurementOptions options, Func<RunOutcome> call, long modelBytes = 0, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(call);
        options.Validate();
        using var pin = options.SingleThread ? CpuPin.ToFirstCpu() : null;
        for (var i = 0; i < options.WarmupRuns; i++)
        {
            call();
        }
        var samples = new List<double>();
        var firstTokens = new List<double>();
        long items = 0;
        long tokens = 0;
        var started = _time.GetTimestamp();
        while (options.Duration is { } duration ? samples.Count == 0 || _time.GetElapsedTime(started) < duration : samples.Count < options.Runs)
        {
            var before = _time.GetTimestamp();
            var outcome = call();
            samples.Add(_time.GetElapsedTime(before).TotalMilliseconds);
            items += outcome.Items;
            tokens += outcome.Tokens;
            if (outcome.TimeToFirstToken is { } first)
            {
                firstTokens.Add(first.TotalMilliseconds);
            }
        }
        var seconds = samples.Sum() / 1000.0;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new MeasurementResult(
            name,
            options.WarmupRuns,
            LatencySummary.FromMilliseconds(samples),
            seconds > 0 ? items / seconds : 0,
            seconds > 0 ? tokens / seconds : 0,
            firstTokens.Count > 0 ? Percentiles.NearestRank(firstTokens, 50) : null,
            process.PeakWorkingSet64,
            modelBytes,
            MachineFacts.Read(options.SingleThread ? 1 : threads));
    }
}
