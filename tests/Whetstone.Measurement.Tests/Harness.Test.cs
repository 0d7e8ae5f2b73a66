namespace Whetstone.Measurement.Tests;

public sealed class HarnessTest
{
    [Fact]
    public void Warm_up_calls_are_left_out_of_latency_and_throughput()
    {
        var clock = new ManualClock();
        var calls = 0;
        RunOutcome Call()
        {
            calls++;
            clock.Advance(calls <= 3 ? 1000 : 10);
            return new RunOutcome(Items: 2, Tokens: 8, TimeToFirstToken: TimeSpan.FromMilliseconds(calls <= 3 ? 500 : 4));
        }

        var result = new Harness(clock).Measure("fake", new MeasurementOptions(WarmupRuns: 3, Runs: 5), Call);

        Assert.Equal(8, calls);
        Assert.Equal(5, result.Latency.Count);
        Assert.Equal(10, result.Latency.MaxMs, 6);
        Assert.Equal(200, result.ItemsPerSecond, 6); // 10 items in 50 ms
        Assert.Equal(800, result.TokensPerSecond, 6);
        Assert.Equal(4, result.TimeToFirstTokenMs);
    }

    [Fact]
    public void Fixed_duration_mode_stops_once_the_duration_has_passed()
    {
        var clock = new ManualClock();
        var calls = 0;
        RunOutcome Call()
        {
            calls++;
            clock.Advance(10);
            return new RunOutcome(1);
        }

        var result = new Harness(clock).Measure("fake", new MeasurementOptions(WarmupRuns: 1, Duration: TimeSpan.FromMilliseconds(45)), Call);

        Assert.Equal(5, result.Latency.Count); // 10, 20, 30, 40 ms elapsed are under 45; the fifth call ends at 50
        Assert.Equal(6, calls);
        Assert.Null(result.TimeToFirstTokenMs);
    }

    [Fact]
    public void Results_carry_machine_facts_and_render_as_json_and_a_table()
    {
        var clock = new ManualClock();
        var result = new Harness(clock).Measure("forward b1", new MeasurementOptions(WarmupRuns: 0, Runs: 2), () =>
        {
            clock.Advance(5);
            return new RunOutcome(1);
        }, modelBytes: 3 * 1048576, threads: 2);

        Assert.Equal(2, result.Machine.Threads);
        Assert.True(result.PeakWorkingSetBytes > 0);
        Assert.Contains("\"p99Ms\": 5", ResultReport.ToJson([result]), StringComparison.Ordinal);
        var table = ResultReport.ToTable([result]);
        Assert.Contains("forward b1", table, StringComparison.Ordinal);
        Assert.Contains("machine: ", table, StringComparison.Ordinal);
    }
}
