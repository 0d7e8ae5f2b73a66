using Microsoft.Extensions.Time.Testing;
using Whetstone.ML.Training;
using Whetstone.Worker.FineTuning;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>The worker's timed progress lines, driven by a fake clock: a line every interval with the latest step, none after the end.</summary>
public sealed class TimedProgressLogTest
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_line_is_written_every_interval_with_the_latest_step_loss_and_eta()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        using var log = new TimedProgressLog(Interval, time, lines.Add);

        log.Report(Step(1, loss: 9.1993, eta: 870));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(lines);
        log.Report(Step(4, loss: 8.339, eta: 841));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["step 4/88 (4%), epoch 1: loss 8.3390, val -, ETA 14m01s, 2807 tokens/s"], lines);

        log.Report(Step(40, loss: 2.414, eta: 31, validation: 2.248));
        time.Advance(Interval);
        Assert.Equal("step 40/88 (45%), epoch 1: loss 2.4140, val 2.2480, ETA 31s, 2807 tokens/s", lines[^1]);
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public void A_step_longer_than_the_interval_still_gets_a_line_each_interval()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        using var log = new TimedProgressLog(Interval, time, lines.Add);

        log.Report(Step(2, loss: 5.5, eta: 7_200));
        time.Advance(TimeSpan.FromSeconds(95));

        Assert.Equal(3, lines.Count);
        Assert.All(lines, line => Assert.Equal("step 2/88 (2%), epoch 1: loss 5.5000, val -, ETA 2h00m, 2807 tokens/s", line));
    }

    [Fact]
    public void Nothing_is_written_before_the_first_step_or_after_disposal()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        var log = new TimedProgressLog(Interval, time, lines.Add);

        time.Advance(TimeSpan.FromMinutes(5));
        log.Report(Step(88, loss: 1.362, eta: 0));
        log.Dispose();
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Empty(lines);
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("", 30)]
    [InlineData("5", 5)]
    [InlineData("0.5", 0.5)]
    public void The_interval_comes_from_the_environment_variable_or_defaults_to_30_seconds(string? value, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimedProgressLog.IntervalFrom(value));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("30s")]
    public void An_interval_that_is_not_a_positive_number_is_refused_naming_the_variable(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => TimedProgressLog.IntervalFrom(value));

        Assert.Equal($"WHETSTONE_PROGRESS_INTERVAL_SECONDS: '{value}' is not a positive number of seconds", error.Message);
    }

    private static TrainingProgress Step(long step, double loss, double eta, double? validation = null) =>
        new(Epoch: 1, Step: step, TotalSteps: 88, Percent: 100.0 * step / 88, EtaSeconds: eta, TrainLoss: loss,
            ValidationLoss: validation, BestValidationLoss: validation, TokensPerSecond: 2806.8);
}
