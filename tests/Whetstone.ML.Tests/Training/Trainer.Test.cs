using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Training;

[Collection(TorchRandomCollection.Name)]
public sealed class TrainerTest : IDisposable
{
    private static readonly List<TrainingExample> Train = SyntheticTask.Create(48, seed: 1);
    private static readonly List<TrainingExample> Validation = SyntheticTask.Create(16, seed: 2);
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("whetstone-trainer-").FullName;

    private static TrainingOptions BaseOptions => new()
    {
        Epochs = 4,
        BatchSize = 8,
        LearningRate = 1e-2,
        LearningRateSchedule = LearningRateScheduleKind.Cosine,
        WarmupRatio = 0.1,
        WeightDecay = 0.01,
        EvaluateEverySteps = 6,
        CheckpointEverySteps = 0,
        EarlyStopping = null,
        Seed = 7,
    };

    public void Dispose() => Directory.Delete(_checkpoints, recursive: true);

    private static TinyCausalLanguageModel CreateModel() => new(SyntheticTask.Vocabulary, 16, 2, seed: 11);

    private static LoraModel CreateLoraModel(TinyCausalLanguageModel model)
        => LoraInjector.Inject(model, new LoraOptions(4, 8, 0.1, ["q_proj", "v_proj", "up_proj", "down_proj"]));

    private static Dictionary<string, float[]> Snapshot(nn.Module model)
        => model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());

    [Fact]
    public async Task Lora_training_lowers_the_validation_loss_and_changes_only_adapter_weights()
    {
        var model = CreateModel();
        var lora = CreateLoraModel(model);
        var before = Snapshot(model);
        var result = await new Trainer(BaseOptions).TrainAsync(model, Train, Validation, CancellationToken.None);
        var after = Snapshot(model);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(24, result.Step);
        var validation = result.LossCurve.Where(p => p.ValidationLoss is not null).Select(p => p.ValidationLoss!.Value).ToList();
        Assert.Equal(4, validation.Count);
        Assert.True(validation[^1] < validation[0] - 0.1, $"validation loss {string.Join(", ", validation)}");
        Assert.True(result.LossCurve[^1].TrainLoss < result.LossCurve[0].TrainLoss);
        foreach (var (name, values) in before)
        {
            var changed = !values.SequenceEqual(after[name]);
            Assert.Equal(LoraModel.IsAdapterTensor(name), changed);
        }

        Assert.Empty(lora.FindNonAdapterTrainableParameters());
    }

    [Fact]
    public async Task The_same_seed_gives_the_identical_loss_curve()
    {
        var first = await TrainLoraAsync(BaseOptions with { Epochs = 1 });
        var second = await TrainLoraAsync(BaseOptions with { Epochs = 1 });
        Assert.Equal(first.LossCurve, second.LossCurve);
    }

    [Fact]
    public async Task A_different_seed_gives_a_different_loss_curve()
    {
        var first = await TrainLoraAsync(BaseOptions with { Epochs = 1 });
        var second = await TrainLoraAsync(BaseOptions with { Epochs = 1, Seed = 8 });
        Assert.NotEqual(first.LossCurve, second.LossCurve);
    }

    [Fact]
    public async Task Gradient_accumulation_matches_one_larger_batch()
    {
        var options = BaseOptions with { Epochs = 1, WeightDecay = 0, MaxGradNorm = 0 };
        var big = await TrainFullAsync(options with { BatchSize = 8, GradientAccumulationSteps = 1 });
        var accumulated = await TrainFullAsync(options with { BatchSize = 4, GradientAccumulationSteps = 2 });
        Assert.Equal(big.Step, accumulated.Step);
        foreach (var (a, b) in big.LossCurve.Zip(accumulated.LossCurve))
        {
            Assert.Equal(a.TrainLoss!.Value, b.TrainLoss!.Value, 4);
        }
    }

    [Fact]
    public async Task Full_fine_tuning_trains_every_weight()
    {
        var model = CreateModel();
        var before = Snapshot(model);
        var result = await new Trainer(BaseOptions with { Epochs = 1 }).TrainAsync(model, Train, Validation, CancellationToken.None);
        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        var after = Snapshot(model);
        Assert.All(before, entry => Assert.False(entry.Value.SequenceEqual(after[entry.Key]), entry.Key));
    }

    [Fact]
    public async Task A_run_stopped_midway_and_resumed_from_its_checkpoint_ends_exactly_as_an_uninterrupted_run()
    {
        var options = BaseOptions with { Epochs = 2 };
        var straightModel = CreateModel();
        CreateLoraModel(straightModel);
        var straight = await new Trainer(options).TrainAsync(straightModel, Train, Validation, CancellationToken.None);

        var store = new LocalDirectoryCheckpointStore(_checkpoints);
        using var stop = new CancellationTokenSource();
        var firstModel = CreateModel();
        CreateLoraModel(firstModel);
        var interrupted = await new Trainer(options, store, new InlineProgress(p =>
        {
            if (p.Step == 5)
            {
                stop.Cancel();
            }
        })).TrainAsync(firstModel, Train, Validation, stop.Token);
        Assert.Equal(TrainingStopReason.Interrupted, interrupted.StopReason);
        Assert.Equal(5, interrupted.Step);

        // A new process: a fresh model built the same way, and a new trainer over the same store.
        var resumedModel = CreateModel();
        CreateLoraModel(resumedModel);
        var resumed = await new Trainer(options, store).TrainAsync(resumedModel, Train, Validation, CancellationToken.None);

        Assert.Equal(5, resumed.ResumedFromStep);
        Assert.Equal(TrainingStopReason.Completed, resumed.StopReason);
        Assert.Equal(straight.LossCurve, resumed.LossCurve);
        var expected = Snapshot(straightModel);
        foreach (var (name, values) in Snapshot(resumedModel))
        {
            Assert.Equal(expected[name], values);
        }
    }

    [Fact]
    public async Task A_stop_requested_while_a_periodic_checkpoint_commits_keeps_that_checkpoint_and_stops_interrupted()
    {
        using var stop = new CancellationTokenSource();
        var store = new StopDuringCommit(new LocalDirectoryCheckpointStore(_checkpoints), stop, atStep: 4);
        var model = CreateModel();
        CreateLoraModel(model);

        var result = await new Trainer(BaseOptions with { Epochs = 1, CheckpointEverySteps = 4 }, store).TrainAsync(model, Train, Validation, stop.Token);

        // The commit of step 4 finished; the loop then ran one more step, saw the stop, and checkpointed step 5.
        Assert.Equal((TrainingStopReason.Interrupted, 5L), (result.StopReason, result.Step));
        Assert.True(File.Exists(Path.Combine(_checkpoints, "checkpoint-000000004", "state.json")), "the checkpoint being committed when the stop came");
        Assert.Equal("checkpoint-000000005", Path.GetFileName(await store.GetLatestAsync(CancellationToken.None)));
    }

    // SIGTERM arriving while the periodic checkpoint of one step is being committed: the stop is requested, then the
    // commit goes on with the token the trainer gave it (a cancellable one would end the commit there).
    private sealed class StopDuringCommit(LocalDirectoryCheckpointStore inner, CancellationTokenSource stop, long atStep) : ICheckpointStore
    {
        public string CreateStagingDirectory() => inner.CreateStagingDirectory();

        public Task CommitAsync(string stagingDirectory, long step, CancellationToken cancellationToken)
        {
            if (step == atStep)
            {
                stop.Cancel();
            }

            cancellationToken.ThrowIfCancellationRequested();
            return inner.CommitAsync(stagingDirectory, step, cancellationToken);
        }

        public Task<string?> GetLatestAsync(CancellationToken cancellationToken) => inner.GetLatestAsync(cancellationToken);
    }

    [Fact]
    public async Task Periodic_checkpoints_are_committed_and_old_ones_pruned()
    {
        var store = new LocalDirectoryCheckpointStore(_checkpoints, keep: 2);
        await TrainLoraAsync(BaseOptions with { Epochs = 1, CheckpointEverySteps = 2 }, store);
        var names = Directory.GetDirectories(_checkpoints).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["checkpoint-000000004", "checkpoint-000000006"], names);
        Assert.True(File.Exists(Path.Combine(_checkpoints, "checkpoint-000000006", "state.json")));
    }

    [Fact]
    public async Task A_requested_checkpoint_is_written_after_the_current_step()
    {
        var store = new LocalDirectoryCheckpointStore(_checkpoints);
        Trainer? trainer = null;
        trainer = new Trainer(BaseOptions with { Epochs = 1 }, store, new InlineProgress(p =>
        {
            if (p.Step == 3)
            {
                trainer!.RequestCheckpoint();
            }
        }));
        var model = CreateModel();
        CreateLoraModel(model);
        await trainer.TrainAsync(model, Train, Validation, CancellationToken.None);
        Assert.Equal(["checkpoint-000000003"], Directory.GetDirectories(_checkpoints).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Diverging_loss_fails_the_job_with_reason_Diverged()
    {
        var result = await TrainFullAsync(BaseOptions with { LearningRate = 50, MaxGradNorm = 0, WarmupRatio = 0, Divergence = new DivergenceOptions(1.5) });
        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.True(result.Step < 24);
        Assert.Contains($"step {result.Step}", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_validation_loss_that_stops_improving_stops_training_early()
    {
        // Validation asks for a different offset than training teaches: it gets worse as training succeeds.
        var contradicting = SyntheticTask.Create(16, seed: 2, offset: 7);
        var model = CreateModel();
        CreateLoraModel(model);
        var options = BaseOptions with { Epochs = 6, EvaluateEverySteps = 2, EarlyStopping = new EarlyStoppingOptions(2, 0.0), Divergence = null };
        var result = await new Trainer(options).TrainAsync(model, Train, contradicting, CancellationToken.None);
        Assert.Equal(TrainingStopReason.EarlyStopped, result.StopReason);
        Assert.True(result.Step < 36);
        Assert.NotNull(result.BestValidationStep);
    }

    [Fact]
    public async Task Progress_reports_steps_percent_eta_losses_and_throughput()
    {
        var reports = new List<TrainingProgress>();
        var model = CreateModel();
        CreateLoraModel(model);
        await new Trainer(BaseOptions with { Epochs = 2 }, progress: new InlineProgress(reports.Add)).TrainAsync(model, Train, Validation, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 12).Select(s => (long)s), reports.Select(r => r.Step));
        Assert.Equal(100, reports[^1].Percent);
        Assert.Equal(0, reports[^1].EtaSeconds);
        Assert.Equal([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2], reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.True(r.TokensPerSecond > 0 && r.TrainLoss > 0 && r.TotalSteps == 12));
        Assert.Null(reports[0].ValidationLoss);
        Assert.NotNull(reports[5].ValidationLoss);
        Assert.True(reports[2].EtaSeconds > 0);
    }

    [Fact]
    public async Task A_model_without_trainable_parameters_is_refused_clearly()
    {
        var model = CreateModel();
        foreach (var parameter in model.parameters())
        {
            parameter.requires_grad = false;
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new Trainer(BaseOptions).TrainAsync(model, Train, Validation, CancellationToken.None));
        Assert.Contains("no trainable parameters", error.Message, StringComparison.Ordinal);
    }

    private static async Task<TrainingResult> TrainLoraAsync(TrainingOptions options, ICheckpointStore? store = null)
    {
        var model = CreateModel();
        CreateLoraModel(model);
        return await new Trainer(options, store).TrainAsync(model, Train, Validation, CancellationToken.None);
    }

    private static async Task<TrainingResult> TrainFullAsync(TrainingOptions options)
        => await new Trainer(options).TrainAsync(CreateModel(), Train, Validation, CancellationToken.None);

    /// <summary>Runs the callback on the reporting thread (Progress&lt;T&gt; would post it to the thread pool, too late to act on).</summary>
    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
