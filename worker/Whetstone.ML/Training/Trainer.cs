using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Models;
using Whetstone.ML.Monitoring;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// Trains the parameters of a causal language model that have requires_grad set (LoRA adapters after
/// <see cref="Lora.LoraInjector"/>, or every weight for a full fine-tune) with AdamW, gradient accumulation,
/// clipping, a warmup + decay schedule, loss masking and periodic validation; watches the loss; checkpoints and
/// resumes exactly. The model maps (input ids [batch, length], attention mask [batch, length]) to logits
/// [batch, length, vocab]. Seed torch before building the model for a reproducible initialisation.
/// bf16/fp16 (<see cref="TrainingOptions.Precision"/>) run the forward pass inside an <see cref="Runtime.Autocast"/>
/// scope, keep the parameters and optimizer state in fp32 and compute the loss in fp32; fp16 adds dynamic loss scaling
/// (<see cref="GradientScaler"/>, saved in checkpoints). Which precision applies is <see cref="ResolvedPrecision"/>'s rule.
/// </summary>
public sealed class Trainer(TrainingOptions options, ICheckpointStore? checkpointStore = null, IProgress<TrainingProgress>? progress = null)
{
    private volatile bool _checkpointRequested;

    /// <summary>
    /// The training objective (summed over the batch's targets, fp32); null: the masked cross-entropy. Validation
    /// always measures the masked cross-entropy, so runs with different objectives stay comparable.
    /// </summary>
    public TrainingLoss? Loss { get; init; }

    /// <summary>Runs after every applied optimizer update, without gradients (for example, to keep pruned weights at zero).</summary>
    public Action? AfterUpdate { get; init; }

    /// <summary>
    /// The mean masked loss of <paramref name="model"/> over <paramref name="examples"/> in fp32, without gradients,
    /// batched and truncated as training does (the same rule as the validation loss). Used to measure a base model
    /// before training, so "before" and "after" are the same measurement. Returns null when no example has a target.
    /// </summary>
    public double? EvaluateLoss(LlamaForCausalLM model, IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var collator = new PaddingCollator(options.PadTokenId, options.MaxSequenceLength);
            var device = model.parameters().First().device;
            double lossSum = 0;
            long targets = 0;
            for (var start = 0; start < examples.Count; start += options.BatchSize)
            {
                var batchExamples = examples.Skip(start).Take(options.BatchSize).ToList();
                using var scope = NewDisposeScope();
                using var batch = collator.Collate(batchExamples, device);
                lossSum += MaskedLoss.Sum(model.Forward(batch.InputIds, batch.AttentionMask), batch).ToDouble();
                targets += MaskedLoss.CountTargets(batchExamples, options.MaxSequenceLength);
            }

            return targets > 0 ? lossSum / targets : null;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Asks for a checkpoint after the current step, without stopping.</summary>
    public void RequestCheckpoint() => _checkpointRequested = true;

    /// <summary>
    /// Runs training to the end, an early stop, divergence, or cancellation. When the store holds a checkpoint of
    /// this run, training resumes from it and ends exactly where an uninterrupted run would have. Cancellation
    /// (SIGTERM) writes a checkpoint when a store is set and returns <see cref="TrainingStopReason.Interrupted"/>.
    /// </summary>
    public Task<TrainingResult> TrainAsync(LlamaForCausalLM model, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var packed = options.PackSequences ? new PackedLlamaForward(model) : null;
        return TrainCoreAsync(model, (ids, mask) => model.Forward(ids, mask), packed, train, validation, cancellationToken);
    }

    /// <summary>Trains a TorchSharp module whose forward takes (input ids, attention mask); see the overload taking a forward delegate.</summary>
    public Task<TrainingResult> TrainAsync(nn.Module<Tensor, Tensor, Tensor> model, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TrainAsync(model, model.call, train, validation, cancellationToken);
    }

    /// <summary>
    /// Trains <paramref name="model"/>'s parameters that have requires_grad set, running it through <paramref name="forward"/>.
    /// </summary>
    public Task<TrainingResult> TrainAsync(nn.Module model, CausalLanguageModelForward forward, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken cancellationToken)
        => TrainCoreAsync(model, forward, null, train, validation, cancellationToken);

    private async Task<TrainingResult> TrainCoreAsync(nn.Module model, CausalLanguageModelForward forward, PackedLlamaForward? packedForward,
        IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        options.Validate();
        for (var i = 0; i < train.Count; i++)
        {
            train[i].Validate(i);
        }

        for (var i = 0; i < validation.Count; i++)
        {
            validation[i].Validate(i);
        }

        using var session = new TrainingSession(model, forward, train, validation, options, packedForward) { Loss = Loss, AfterUpdate = AfterUpdate };
        var latest = checkpointStore is null ? null : await checkpointStore.GetLatestAsync(cancellationToken).ConfigureAwait(false);
        if (latest is not null)
        {
            session.Resume(latest);
        }
        else
        {
            manual_seed(options.Seed);
        }

        return await RunAsync(session, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TrainingResult> RunAsync(TrainingSession session, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var startStep = session.Step;
        var startTokens = session.TokensProcessed;
        while (session.Step < session.Plan.TotalSteps)
        {
            var verdict = session.RunStep();
            session.WallSeconds += clock.Elapsed.TotalSeconds - session.SessionSecondsCounted;
            session.SessionSecondsCounted = clock.Elapsed.TotalSeconds;
            if (verdict.Kind == MonitorVerdictKind.Diverged)
            {
                return session.ToResult(TrainingStopReason.Diverged, verdict.Message);
            }

            if (verdict.Kind == MonitorVerdictKind.EarlyStopped)
            {
                await CheckpointAsync(session).ConfigureAwait(false);
                return session.ToResult(TrainingStopReason.EarlyStopped, verdict.Message);
            }

            ReportProgress(session, clock.Elapsed.TotalSeconds, session.Step - startStep, session.TokensProcessed - startTokens);
            if (cancellationToken.IsCancellationRequested)
            {
                await CheckpointAsync(session).ConfigureAwait(false);
                return session.ToResult(TrainingStopReason.Interrupted, $"Stopped on request after step {session.Step}; a checkpoint of that step was written.");
            }

            if (_checkpointRequested || (options.CheckpointEverySteps > 0 && session.Step % options.CheckpointEverySteps == 0))
            {
                _checkpointRequested = false;
                await CheckpointAsync(session).ConfigureAwait(false);
            }
        }

        return session.ToResult(TrainingStopReason.Completed, "");
    }

    // Never cancelled: a SIGTERM during a periodic checkpoint would otherwise abort it half-committed and leave the
    // stop with no checkpoint at all; a commit is bounded work, and the stop writes its own checkpoint right after.
    private async Task CheckpointAsync(TrainingSession session)
    {
        if (checkpointStore is null)
        {
            return;
        }

        var staging = checkpointStore.CreateStagingDirectory();
        session.WriteCheckpoint(staging);
        await checkpointStore.CommitAsync(staging, session.Step, CancellationToken.None).ConfigureAwait(false);
    }

    private void ReportProgress(TrainingSession session, double sessionSeconds, long sessionSteps, long sessionTokens)
    {
        if (progress is null)
        {
            return;
        }

        var total = session.Plan.TotalSteps;
        var secondsPerStep = sessionSteps > 0 ? sessionSeconds / sessionSteps : 0;
        progress.Report(new TrainingProgress(
            Epoch: Math.Min(session.Plan.EpochOf(Math.Max(0, session.Step - 1)) + 1, int.MaxValue),
            Step: session.Step,
            TotalSteps: total,
            Percent: 100.0 * session.Step / total,
            EtaSeconds: secondsPerStep * (total - session.Step),
            TrainLoss: session.LastTrainLoss ?? double.NaN,
            ValidationLoss: session.LastValidationLoss,
            BestValidationLoss: session.Monitor.State.BestValidationLoss,
            TokensPerSecond: sessionSeconds > 0 ? sessionTokens / sessionSeconds : 0));
    }
}
