using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

public sealed class LearningRateScheduleTest
{
    [Fact]
    public void Warmup_rises_linearly_to_the_peak()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Constant, 1e-3, 100, 0.1);
        Assert.Equal(10, schedule.WarmupSteps);
        Assert.Equal(1e-4, schedule.LearningRateAt(0), 12);
        Assert.Equal(5e-4, schedule.LearningRateAt(4), 12);
        Assert.Equal(1e-3, schedule.LearningRateAt(9), 12);
        Assert.Equal(1e-3, schedule.LearningRateAt(99), 12);
    }

    [Fact]
    public void Linear_decays_from_the_peak_to_zero()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Linear, 1.0, 110, 10.0 / 110);
        Assert.Equal(10, schedule.WarmupSteps);
        Assert.Equal(1.0, schedule.LearningRateAt(10), 12);
        Assert.Equal(0.5, schedule.LearningRateAt(60), 12);
        Assert.Equal(0.01, schedule.LearningRateAt(109), 12);
        Assert.Equal(0.0, schedule.LearningRateAt(110), 12);
    }

    [Fact]
    public void Cosine_is_half_the_peak_halfway_through_the_decay()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 2.0, 100, 0);
        Assert.Equal(2.0, schedule.LearningRateAt(0), 12);
        Assert.Equal(1.0, schedule.LearningRateAt(50), 12);
        Assert.Equal(2.0 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)), schedule.LearningRateAt(25), 12);
        Assert.True(schedule.LearningRateAt(99) < 0.001);
    }

    [Fact]
    public void Cosine_never_rises_after_warmup()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 1.0, 57, 0.03);
        var rates = Enumerable.Range((int)schedule.WarmupSteps, 57 - (int)schedule.WarmupSteps).Select(s => schedule.LearningRateAt(s)).ToList();
        Assert.Equal(rates.OrderDescending(), rates);
    }

    [Theory]
    [InlineData(0.0, 10, 0.0, "learningRate")]
    [InlineData(1e-3, 10, 1.0, "warmupRatio")]
    [InlineData(1e-3, 10, -0.1, "warmupRatio")]
    public void Invalid_settings_name_the_field(double peak, long total, double warmup, string field)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(LearningRateScheduleKind.Linear, peak, total, warmup).Validate());
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }
}
