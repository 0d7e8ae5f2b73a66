using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Tests.Monitoring;

public sealed class LossHistoryTest
{
    [Fact]
    public void A_validation_loss_at_a_training_step_joins_that_point()
    {
        var history = new LossHistory();
        history.AddTrainLoss(1, 2.5);
        history.AddTrainLoss(2, 2.0);
        history.AddValidationLoss(2, 2.2);
        Assert.Equal([new LossPoint(1, 2.5, null), new LossPoint(2, 2.0, 2.2)], history.Points);
    }

    [Fact]
    public void Points_out_of_step_order_are_refused()
    {
        var history = new LossHistory();
        history.AddTrainLoss(5, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => history.AddTrainLoss(4, 1));
    }

    [Fact]
    public void The_bounded_view_has_at_most_100_points_and_the_full_curve_keeps_all()
    {
        var history = new LossHistory();
        for (var step = 1; step <= 500; step++)
        {
            history.AddTrainLoss(step, 1.0 / step);
        }

        Assert.Equal(500, history.Points.Count);
        Assert.Equal(100, history.ToBounded().Count);
        Assert.Equal(500, history.ToBounded()[^1].Step);
    }
}
