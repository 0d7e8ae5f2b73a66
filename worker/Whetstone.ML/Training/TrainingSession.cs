using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>The mutable state of one training run in this process: model, optimizer, position, losses.</summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly nn.Module model;
    private readonly CausalLanguageModelForward forward;
    private readonly IReadOnlyList<TrainingExample> train;
    private readonly IReadOnlyList<TrainingExample> validation;
    private readonly TrainingOptions options;
    private readonly PaddingCollator collator;
    private readonly PackingCollator? packingCollator;
    private readonly PackedLlamaForward? packedForward;
    private readonly List<(string Name, Parameter Parameter)> trainable;
    private readonly AdamW optimizer;
    private readonly LearningRateSchedule schedule;
    private readonly Device device;
    private readonly ResolvedPrecision precision;
    private GradientScaler? scaler;
    private (int Epoch, int[] Order)? currentOrder;
    private bool gradientsVerified;

    public TrainingSession(nn.Module model, CausalLanguageModelForward forward, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, TrainingOptions options,
        PackedLlamaForward? packedForward = null)
    {
        if (options.PackSequences && packedForward is null)
        {
            throw new ArgumentException("Sequence packing (PackSequences) needs a LlamaForCausalLM: train it through Trainer.TrainAsync(LlamaForCausalLM, ...).", nameof(options));
        }

        this.packedForward = options.PackSequences ? packedForward : null;
        packingCollator = options.PackSequences ? new PackingCollator(options.PadTokenId, options.MaxSequenceLength) : null;
        this.model = model;
        this.forward = forward;
        this.train = train;
        this.validation = validation;
        this.options = options;
        Plan = TrainingPlan.Create(train.Count, options);
        collator = new PaddingCollator(options.PadTokenId, options.MaxSequenceLength);
        trainable = [.. model.named_parameters().Where(p => p.parameter.requires_grad)];
        if (trainable.Count == 0)
        {
            throw new ArgumentException("The model has no trainable parameters (for LoRA, inject adapters first; for a full fine-tune, leave requires_grad on).", nameof(model));
        }

        device = trainable[0].Parameter.device;
        precision = ResolvedPrecision.Resolve(options.Precision, device.type, options.AllowLowPrecisionOnCpu);
        scaler = precision.UsesLossScaling ? new GradientScaler(options.LossScaling) : null;
        optimizer = CreateOptimizer();
        schedule = new LearningRateSchedule(options.LearningRateSchedule, options.LearningRate, Plan.TotalSteps, options.WarmupRatio);
        schedule.Validate();
        Monitor = new LossMonitor(options.EarlyStopping, options.Divergence);
    }

    public TrainingPlan Plan { get; }

    public long Step { get; private set; }

    public long TokensProcessed { get; private set; }

    public double WallSeconds { get; set; }

    public double SessionSecondsCounted { get; set; }

    public double? LastTrainLoss { get; private set; }

    public double? LastValidationLoss { get; private set; }

    public long? ResumedFromStep { get; private set; }

    public LossMonitor Monitor { get; private set; }

    public LossHistory History { get; private set; } = new();

    /// <summary>The precision this run trains in (bf16/fp16 fall back to fp32 on the CPU unless allowed there).</summary>
    public ResolvedPrecision Precision => precision;

    /// <summary>Takes one optimizer step (and a validation pass when one is due) and says whether to go on.</summary>
    public MonitorVerdict RunStep()
    {
        var microBatches = GetMicroBatches(Step);
        var targets = microBatches.Sum(CountTargets);
        model.train();
        optimizer.zero_grad();
        double lossSum = 0;
        foreach (var examples in microBatches)
        {
            using var scope = NewDisposeScope();
            using var batch = packingCollator?.Collate(examples, device) ?? collator.Collate(examples, device);
            var loss = ComputeLossSum(batch);
            if (targets > 0)
            {
                // Divided by the whole step's target count, so accumulated micro-batches equal one big batch.
                var stepLoss = loss / targets;
                (scaler is null ? stepLoss : scaler.ScaleLoss(stepLoss)).backward();
            }

            lossSum += loss.ToDouble();
            TokensProcessed += batch.TokenCount;
        }

        VerifyGradientsOnce(targets);
        var trainLoss = targets > 0 ? lossSum / targets : 0;
        LastTrainLoss = trainLoss;
        History.AddTrainLoss(Step + 1, trainLoss);
        var verdict = Monitor.ObserveTrainLoss(Step + 1, trainLoss);
        if (verdict.Kind == MonitorVerdictKind.Diverged)
        {
            // The diverged gradients are not applied; the reported step is the one whose loss diverged.
            Step++;
            return verdict;
        }

        ApplyGradients();
        Step++;
        return IsEvaluationDue() ? Evaluate() : verdict;
    }

    public void Resume(string directory)
    {
        var state = TrainingCheckpoint.ReadState(directory);
        if (state.FormatVersion != TrainingCheckpoint.FormatVersion || state.TotalSteps != Plan.TotalSteps || state.StepsPerEpoch != Plan.StepsPerEpoch || state.Seed != options.Seed)
        {
            throw new InvalidDataException(
                $"Checkpoint {directory} belongs to a different run (total steps {state.TotalSteps}, steps per epoch {state.StepsPerEpoch}, seed {state.Seed}; this run: {Plan.TotalSteps}, {Plan.StepsPerEpoch}, {options.Seed}).");
        }

        TrainingCheckpoint.Restore(directory, state, trainable, optimizer);
        scaler = precision.UsesLossScaling ? new GradientScaler(options.LossScaling, state.GradientScaler) : null;
        Step = state.Step;
        ResumedFromStep = state.Step;
        TokensProcessed = state.TokensProcessed;
        WallSeconds = state.WallSeconds;
        LastTrainLoss = state.LastTrainLoss;
        LastValidationLoss = state.LastValidationLoss;
        Monitor = new LossMonitor(options.EarlyStopping, options.Divergence, state.Monitor);
        History = new LossHistory(state.LossCurve);
    }

    public void WriteCheckpoint(string directory)
    {
        var state = new TrainingCheckpointState(
            TrainingCheckpoint.FormatVersion, Step, Plan.TotalSteps, Plan.StepsPerEpoch, options.Seed, TokensProcessed, WallSeconds,
            LastTrainLoss, LastValidationLoss, Monitor.State, [.. History.Points], [.. trainable.Select(t => t.Name)], scaler?.State);
        TrainingCheckpoint.Write(directory, state, trainable, optimizer);
    }

    public TrainingResult ToResult(TrainingStopReason reason, string message) => new(
        reason, message, Step, Plan.TotalSteps, LastTrainLoss, LastValidationLoss,
        Monitor.State.BestValidationLoss, Monitor.State.BestValidationStep, [.. History.Points],
        TokensProcessed, WallSeconds, ResumedFromStep, precision.Effective)
    {
        SkippedSteps = scaler?.SkippedSteps ?? 0,
        FinalLossScale = scaler?.Scale,
    };

    public void Dispose() => optimizer.Dispose();

    private AdamW CreateOptimizer()
    {
        // Decoupled weight decay on matrices only; biases and norm scales (vectors) are left alone, as is usual.
        var decayed = trainable.Where(t => t.Parameter.dim() >= 2 && !t.Name.Contains("norm", StringComparison.OrdinalIgnoreCase)).Select(t => t.Parameter).ToList();
        var undecayed = trainable.Select(t => t.Parameter).Except(decayed).ToList();
        var groups = new List<AdamW.ParamGroup>();
        if (decayed.Count > 0)
        {
            groups.Add(new AdamW.ParamGroup(decayed, lr: options.LearningRate, weight_decay: options.WeightDecay));
        }

        if (undecayed.Count > 0)
        {
            groups.Add(new AdamW.ParamGroup(undecayed, lr: options.LearningRate, weight_decay: 0));
        }

        return new AdamW(groups, options.LearningRate);
    }

    private List<List<TrainingExample>> GetMicroBatches(long step)
    {
        var epoch = Plan.EpochOf(step);
        if (currentOrder is not { } cached || cached.Epoch != epoch)
        {
            currentOrder = (epoch, DataOrder.Shuffle(options.Seed, epoch, train.Count));
        }

        var order = currentOrder.Value.Order;
        return [.. Plan.MicroBatchesOf(step).Select(range => order[range.Start..range.End].Select(i => train[i]).ToList())];
    }

    private long CountTargets(List<TrainingExample> examples) => MaskedLoss.CountTargets(examples, options.MaxSequenceLength);

    private Tensor ComputeLossSum(TrainingBatch batch)
    {
        Tensor logits;
        if (precision.ComputeDtype is { } computeDtype)
        {
            // Mixed precision covers the model's forward only; the loss below runs in fp32, as under autocast.
            using var autocast = Autocast.Enable(computeDtype);
            logits = Forward(batch);
        }
        else
        {
            logits = Forward(batch);
        }

        return MaskedLoss.Sum(logits, batch);
    }

    private Tensor Forward(TrainingBatch batch) =>
        batch is { SegmentIds: { } segments, PositionIds: { } positions } && packedForward is not null
            ? packedForward.Forward(batch.InputIds, segments, positions)
            : forward(batch.InputIds, batch.AttentionMask);

    private void VerifyGradientsOnce(long targets)
    {
        if (gradientsVerified || targets == 0)
        {
            return;
        }

        gradientsVerified = true;
        var missing = trainable.Where(t => t.Parameter.grad is null).Select(t => t.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Trainable parameters received no gradient: {string.Join(", ", missing.Take(5))}. For LoRA adapters the model must run its Linear layers with call(), not forward(), so the adapter hook runs.");
        }
    }

    private void ApplyGradients()
    {
        if (scaler is not null)
        {
            // Unscaled before clipping, so the threshold applies to the true gradients; an overflow skips the update.
            var finite = scaler.UnscaleGradients(trainable.Select(t => (Tensor)t.Parameter));
            scaler.Update(finite);
            if (!finite)
            {
                return;
            }
        }

        if (options.MaxGradNorm > 0)
        {
            nn.utils.clip_grad_norm_(trainable.Select(t => t.Parameter), options.MaxGradNorm);
        }

        var learningRate = schedule.LearningRateAt(Step);
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        optimizer.step();
    }

    private bool IsEvaluationDue()
        => validation.Count > 0 && ((options.EvaluateEverySteps > 0 && Step % options.EvaluateEverySteps == 0) || Step == Plan.TotalSteps);

    private MonitorVerdict Evaluate()
    {
        var loss = CalculateValidationLoss();
        LastValidationLoss = loss;
        History.AddValidationLoss(Step, loss);
        return Monitor.ObserveValidationLoss(Step, loss);
    }

    private double CalculateValidationLoss()
    {
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double lossSum = 0;
            long targets = 0;
            for (var start = 0; start < validation.Count; start += options.BatchSize)
            {
                var examples = validation.Skip(start).Take(options.BatchSize).ToList();
                using var scope = NewDisposeScope();
                using var batch = collator.Collate(examples, device);
                lossSum += ComputeLossSum(batch).ToDouble();
                targets += CountTargets(examples);
            }

            return targets > 0 ? lossSum / targets : 0;
        }
        finally
        {
            model.train();
        }
    }
}
