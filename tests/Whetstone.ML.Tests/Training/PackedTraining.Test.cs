using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Tests.Models;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

/// <summary>Sequence packing gives each example exactly the loss it has alone, and trains like padding.</summary>
[Collection(TorchRandomCollection.Name)]
public sealed class PackedTrainingTest
{
    private static readonly LlamaConfig Config = TinyConfigs.GroupedQuery;

    private static LlamaForCausalLM CreateModel()
    {
        var model = TinyConfigs.Create(Config, seed: 11);
        model.eval();
        return model;
    }

    private static List<TrainingExample> Examples()
    {
        var random = new Random(8);
        return [.. new[] { 14, 3, 9, 5, 2, 11, 6 }.Select(length => new TrainingExample(
            [.. Enumerable.Range(0, length).Select(_ => random.Next(1, Config.VocabSize))],
            [.. Enumerable.Range(0, length).Select(t => t >= length / 3)]))];
    }

    [Fact]
    public void Each_examples_loss_in_a_packed_batch_equals_its_loss_run_alone()
    {
        var model = CreateModel();
        var examples = Examples();
        var collator = new PackingCollator(0, MaxSequenceLength: 32);
        var placements = collator.Place(examples);
        Assert.True(placements.Max(p => p.Row) + 1 < examples.Count, "the examples must share rows for the test to mean anything");
        using var noGrad = no_grad();
        using var batch = collator.Collate(examples);
        using var logits = new PackedLlamaForward(model).Forward(batch.InputIds, batch.SegmentIds!, batch.PositionIds!);
        using var perToken = TokenLosses(logits, batch.Labels);
        foreach (var placement in placements)
        {
            var packed = perToken[placement.Row].narrow(0, placement.Offset, placement.Length).sum().ToDouble();
            using var alone = new PaddingCollator(0, 32).Collate([examples[placement.Example]]);
            using var aloneLogits = model.Forward(alone.InputIds, alone.AttentionMask);
            using var aloneLosses = TokenLosses(aloneLogits, alone.Labels);
            var single = aloneLosses.sum().ToDouble();
            Assert.True(Math.Abs(packed - single) <= 1e-5 * Math.Max(1, Math.Abs(single)), $"example {placement.Example}: packed {packed}, alone {single}");
        }
    }

    [Fact]
    public async Task Lora_training_with_packing_follows_the_same_losses_as_with_padding()
    {
        var examples = Examples();
        var padded = await TrainLoraAsync(examples, pack: false);
        var packed = await TrainLoraAsync(examples, pack: true);
        Assert.Equal(padded.Count, packed.Count);
        foreach (var (a, b) in padded.Zip(packed))
        {
            Assert.True(Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Abs(a)), $"padded {string.Join(", ", padded)}; packed {string.Join(", ", packed)}");
        }
    }

    private static async Task<List<double>> TrainLoraAsync(List<TrainingExample> examples, bool pack)
    {
        var model = CreateModel();
        manual_seed(2);
        LoraInjector.Inject(model, new LoraOptions(Rank: 4, Alpha: 8, Dropout: 0, TargetModules: ["q_proj", "v_proj"]));
        var options = new TrainingOptions
        {
            MaxSteps = 4,
            BatchSize = examples.Count,
            LearningRate = 1e-2,
            LearningRateSchedule = LearningRateScheduleKind.Constant,
            MaxSequenceLength = 32,
            EvaluateEverySteps = 0,
            CheckpointEverySteps = 0,
            EarlyStopping = null,
            Divergence = null,
            PackSequences = pack,
        };
        var result = await new Trainer(options).TrainAsync(model, examples, [], CancellationToken.None);
        return [.. result.LossCurve.Where(p => p.TrainLoss is not null).Select(p => p.TrainLoss!.Value)];
    }

    /// <summary>Cross-entropy of each position's prediction of the next token, 0 where the next token is no target: [rows, length].</summary>
    private static Tensor TokenLosses(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var length = logits.shape[1];
        var predictions = logits.narrow(1, 0, length - 1);
        var targets = labels.narrow(1, 1, length - 1);
        var losses = nn.functional.cross_entropy(predictions.reshape(-1, logits.shape[2]), targets.reshape(-1), ignore_index: TrainingBatch.IgnoreIndex, reduction: nn.Reduction.None)
            .reshape(logits.shape[0], length - 1);

        // Loss of predicting token t+1 is charged to token t+1's column, so an example's losses lie within its own columns.
        return nn.functional.pad(losses, [1, 0]).MoveToOuterDisposeScope();
    }
}
