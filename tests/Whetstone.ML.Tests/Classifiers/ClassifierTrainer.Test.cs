using Whetstone.ML.Classifiers;
using Whetstone.ML.Runtime;

namespace Whetstone.ML.Tests.Classifiers;

public sealed class ClassifierTrainerTest
{
    [Fact]
    public void Training_on_digits_reaches_93_percent_test_accuracy()
    {
        TorchRuntime.ConfigureThreads(); // the container's CPU limit, not every host core
        var table = LabelledTable.ReadCsv(DigitsData.Csv);
        var options = ClassifierTrainingOptions.Default with { Seed = 1, Epochs = 40, BatchSize = 64, LearningRate = 3e-3, EarlyStopping = new(Patience: 4, MinDelta: 1e-3) };

        var result = ClassifierTrainer.Train(table, options);
        using var model = result.Model;

        Assert.True(result.Test.Accuracy >= 0.93, $"test accuracy {result.Test.Accuracy:P1}");
        Assert.Equal(10, result.Test.Recall.Count);
        Assert.InRange(result.BestEpoch, 1, result.EpochsRun);
    }

    [Fact]
    public void Normalisation_uses_the_mean_and_population_standard_deviation_and_scale_one_for_constant_features()
    {
        var (mean, scale) = ClassifierTrainer.Normalisation([[1f, 5f], [3f, 5f]], 2);

        Assert.Equal([2f, 5f], mean);
        Assert.Equal([1f, 1f], scale);
    }

    [Fact]
    public void Evaluation_counts_accuracy_and_recall_per_class()
    {
        float[][] logits = [[2f, 0f], [0f, 2f], [2f, 0f], [0f, 2f]];

        var evaluation = ClassifierEvaluation.FromLogits(logits, [0, 0, 1, 1], 2);

        Assert.Equal(0.5, evaluation.Accuracy);
        Assert.Equal([0.5, 0.5], evaluation.Recall);
    }
}
