using TorchSharp;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

/// <summary>The trainer's <see cref="Trainer.Loss"/> and <see cref="Trainer.AfterUpdate"/> hooks (distillation and pruning recovery use them).</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class TrainerHooksTest
{
    private static readonly List<TrainingExample> Train = SyntheticTask.Create(32, seed: 1);
    private static readonly List<TrainingExample> Validation = SyntheticTask.Create(16, seed: 2);

    // No clipping and no weight decay: AdamW's update is then the same for a loss and twice that loss (up to eps).
    private static TrainingOptions Options => new()
    {
        Epochs = 2,
        BatchSize = 8,
        LearningRate = 1e-2,
        MaxGradNorm = 0,
        WeightDecay = 0,
        EvaluateEverySteps = 2,
        CheckpointEverySteps = 0,
        EarlyStopping = null,
        Seed = 7,
    };

    [Fact]
    public async Task A_custom_loss_is_what_training_reports_and_validation_stays_the_cross_entropy()
    {
        using var plainModel = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 2, seed: 11);
        using var doubledModel = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 2, seed: 11);
        var plain = await new Trainer(Options).TrainAsync(plainModel, Train, Validation, CancellationToken.None);
        var doubled = await new Trainer(Options) { Loss = (logits, batch) => MaskedLoss.Sum(logits, batch) * 2 }.TrainAsync(doubledModel, Train, Validation, CancellationToken.None);

        Assert.Equal(plain.Step, doubled.Step);
        foreach (var (a, b) in plain.LossCurve.Zip(doubled.LossCurve))
        {
            if (a.TrainLoss is { } train)
            {
                Assert.Equal(2 * train, b.TrainLoss!.Value, 3);
            }
            if (a.ValidationLoss is { } validation)
            {
                Assert.Equal(validation, b.ValidationLoss!.Value, 3);
            }
        }
    }

    [Fact]
    public async Task After_update_runs_once_per_applied_step_without_gradients()
    {
        using var model = new TinyCausalLanguageModel(SyntheticTask.Vocabulary, 16, 2, seed: 11);
        var (name, weight) = model.named_parameters().First(p => p.parameter.dim() == 2);
        var calls = 0;
        var result = await new Trainer(Options)
        {
            AfterUpdate = () =>
            {
                calls++;
                weight.mul_(0); // in place on a leaf that requires grad: only allowed under no_grad
            },
        }.TrainAsync(model, Train, Validation, CancellationToken.None);

        Assert.Equal(result.Step, calls);
        Assert.True(weight.eq(0).all().ToBoolean(), $"{name} was not kept at zero");
    }
}
