using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

public sealed class TrainingPlanTest
{
    [Fact]
    public void Steps_per_epoch_round_up_partial_batches_and_accumulation_windows()
    {
        var plan = TrainingPlan.Create(21, new TrainingOptions { BatchSize = 4, GradientAccumulationSteps = 2, Epochs = 3 });
        Assert.Equal(6, plan.BatchesPerEpoch);
        Assert.Equal(3, plan.StepsPerEpoch);
        Assert.Equal(9, plan.TotalSteps);
    }

    [Fact]
    public void The_last_step_of_an_epoch_takes_the_remaining_examples()
    {
        var plan = TrainingPlan.Create(21, new TrainingOptions { BatchSize = 4, GradientAccumulationSteps = 4 });
        Assert.Equal([(0, 4), (4, 8), (8, 12), (12, 16)], plan.MicroBatchesOf(0));
        Assert.Equal([(16, 20), (20, 21)], plan.MicroBatchesOf(1));
        Assert.Equal([(0, 4), (4, 8), (8, 12), (12, 16)], plan.MicroBatchesOf(2));
        Assert.Equal(1, plan.EpochOf(2));
    }

    [Fact]
    public void Max_steps_overrides_epochs()
        => Assert.Equal(7, TrainingPlan.Create(100, new TrainingOptions { BatchSize = 10, Epochs = 5, MaxSteps = 7 }).TotalSteps);

    [Fact]
    public void An_empty_training_split_is_refused_clearly()
        => Assert.Contains("empty", Assert.Throws<ArgumentException>(() => TrainingPlan.Create(0, new TrainingOptions())).Message, StringComparison.Ordinal);
}
