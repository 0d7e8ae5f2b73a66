using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Tests.Monitoring;

public sealed class LossMonitorTest
{
    private static LossMonitor Create(int patience = 2, double minDelta = 0.01, double maxIncrease = 3.0)
        => new(new EarlyStoppingOptions(patience, minDelta), new DivergenceOptions(maxIncrease));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_training_loss_is_Diverged_at_its_step(double loss)
    {
        var monitor = Create();
        monitor.ObserveTrainLoss(1, 2.0);
        var verdict = monitor.ObserveTrainLoss(2, loss);
        Assert.Equal(MonitorVerdictKind.Diverged, verdict.Kind);
        Assert.Equal(2, verdict.Step);
        Assert.True(verdict.ShouldStop);
    }

    [Fact]
    public void A_loss_above_max_increase_times_the_best_is_Diverged()
    {
        var monitor = Create(maxIncrease: 3.0);
        monitor.ObserveTrainLoss(1, 4.0);
        monitor.ObserveTrainLoss(2, 1.0);
        var verdict = monitor.ObserveTrainLoss(3, 3.01);
        Assert.Equal(MonitorVerdictKind.Diverged, verdict.Kind);
        Assert.Equal(3, verdict.Step);
        Assert.Equal(1.0, verdict.BestLoss);
        Assert.Contains("3", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loss_just_under_max_increase_times_the_best_continues()
    {
        var monitor = Create(maxIncrease: 3.0);
        monitor.ObserveTrainLoss(1, 1.0);
        Assert.Equal(MonitorVerdictKind.Continue, monitor.ObserveTrainLoss(2, 2.99).Kind);
    }

    [Fact]
    public void Divergence_checks_can_be_turned_off()
    {
        var monitor = new LossMonitor(null, null);
        monitor.ObserveTrainLoss(1, 1.0);
        Assert.Equal(MonitorVerdictKind.Continue, monitor.ObserveTrainLoss(2, double.NaN).Kind);
    }

    [Fact]
    public void A_diverging_validation_loss_is_Diverged()
    {
        var monitor = Create();
        monitor.ObserveValidationLoss(10, 1.0);
        var verdict = monitor.ObserveValidationLoss(20, 5.0);
        Assert.Equal(MonitorVerdictKind.Diverged, verdict.Kind);
        Assert.Equal(20, verdict.Step);
    }

    [Fact]
    public void Validation_loss_that_stops_improving_for_patience_evaluations_stops_early()
    {
        var monitor = Create(patience: 2, minDelta: 0.01);
        Assert.Equal(MonitorVerdictKind.Continue, monitor.ObserveValidationLoss(10, 2.0).Kind);
        Assert.Equal(MonitorVerdictKind.Continue, monitor.ObserveValidationLoss(20, 1.5).Kind);
        Assert.Equal(MonitorVerdictKind.Continue, monitor.ObserveValidationLoss(30, 1.6).Kind);
        var verdict = monitor.ObserveValidationLoss(40, 1.495);
        Assert.Equal(MonitorVerdictKind.EarlyStopped, verdict.Kind);
        Assert.Equal(40, verdict.Step);
        Assert.Equal(1.495, monitor.State.BestValidationLoss);
        Assert.Equal(40, monitor.State.BestValidationStep);
    }

    [Fact]
    public void An_improvement_larger_than_min_delta_resets_patience()
    {
        var monitor = Create(patience: 2, minDelta: 0.01);
        monitor.ObserveValidationLoss(1, 2.0);
        monitor.ObserveValidationLoss(2, 2.1);
        monitor.ObserveValidationLoss(3, 1.9);
        Assert.Equal(0, monitor.State.EvaluationsWithoutImprovement);
        Assert.Equal(MonitorVerdictKind.Continue, monitor.ObserveValidationLoss(4, 2.0).Kind);
        Assert.Equal(MonitorVerdictKind.EarlyStopped, monitor.ObserveValidationLoss(5, 2.0).Kind);
    }

    [Fact]
    public void Without_early_stopping_a_plateau_continues()
    {
        var monitor = new LossMonitor(null, new DivergenceOptions());
        for (var step = 1; step <= 20; step++)
        {
            Assert.Equal(MonitorVerdictKind.Continue, monitor.ObserveValidationLoss(step, 1.0).Kind);
        }
    }

    [Fact]
    public void A_monitor_restored_from_state_decides_as_the_original()
    {
        var original = Create(patience: 3);
        original.ObserveValidationLoss(1, 1.0);
        original.ObserveValidationLoss(2, 1.2);
        original.ObserveValidationLoss(3, 1.1);
        var restored = new LossMonitor(new EarlyStoppingOptions(3, 0.01), new DivergenceOptions(3.0), original.State);
        Assert.Equal(original.ObserveValidationLoss(4, 1.05), restored.ObserveValidationLoss(4, 1.05));
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(3, -0.1)]
    public void Invalid_early_stopping_options_name_the_field(int patience, double minDelta)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LossMonitor(new EarlyStoppingOptions(patience, minDelta), null));
        Assert.Contains("earlyStopping.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_max_loss_increase_of_one_or_less_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LossMonitor(null, new DivergenceOptions(1.0)));
        Assert.Contains("divergence.maxLossIncrease", error.Message, StringComparison.Ordinal);
    }
}
