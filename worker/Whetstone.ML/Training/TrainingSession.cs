using TorchSharp;
using TorchSharp.Modules;
using Whetstone.ML.Monitoring;
using Whetstone.ML.Runtime;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>The mutable state of one training run in this process: model, optimizer, position, losses.</summary>
internal sealed class TrainingSession : IDisposable
{
    private readonly nn.Module _model;
    private readonly CausalLanguageModelForward _forward;
    private readonly IReadOnlyList<TrainingExample> _train;
    private readonly IReadOnlyList<TrainingExample> _validation;
    private readonly TrainingOptions _options;
    private readonly PaddingCollator _collator;
    private readonly PackingCollator? _packingCollator;
    private readonly PackedLlamaForward? _packedForward;
    private readonly List<(string Name, Parameter Parameter)> _trainable;
    private readonly AdamW _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly Device _device;
    private readonly ResolvedPrecision _precision;
    private GradientScaler? _scaler;
    private (int Epoch, int[] Order)? _currentOrder;
    private bool _gradientsVerified;

    public TrainingSession(nn.Module model, CausalLanguageModelForward forward, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> validation, TrainingOptions options,
        PackedLlamaForward? packedForward = null)
    {
        if (options.PackSequences && packedForward is null)
        {
            throw new ArgumentException("Sequence packing (PackSequences) needs a LlamaForCausalLM: train it through Trainer.TrainAsync(LlamaForCausalLM, ...).", nameof(options));
        }

        this._packedForward = options.PackSequences ? packedForward : null;
        _packingCollator = options.PackSequences ? new PackingCollator(options.PadTokenId, options.MaxSequenceLength) : null;
        this._model = model;
        this._forward = forward;
        this._train = train;
        this._validation = validation;
        this._options = options;
        Plan = TrainingPlan.Create(train.Count, options);
        _collator = new PaddingCollator(options.PadTokenId, options.MaxSequenceLength);
        _trainable = [.. model.named_parameters().Where(p => p.parameter.requires_grad)];
        if (_trainable.Count == 0)
        {
            throw new ArgumentException("The model has no trainable parameters (for LoRA, inject adapters first; for a full fine-tune, leave requires_grad on).", nameof(model));
        }

        _device = _trainable[0].Parameter.device;
        _precision = ResolvedPrecision.Resolve(options.Precision, _device.type, options.AllowLowPrecisionOnCpu);
        _scaler = _precision.UsesLossScaling ? new GradientScaler(options.LossScaling) : null;
        _optimizer = CreateOptimizer();
        _schedule = new LearningRateSchedule(options.LearningRateSchedule, options.LearningRate, Plan.TotalSteps, options.WarmupRatio);
        _schedule.Validate();
        Monitor = new LossMonitor(options.EarlyStopping, options.Divergence);
    }

    public TrainingPlan Plan { get; }

    /// <summary>The training objective; null: <see cref="MaskedLoss.Sum"/>.</summary>
    public TrainingLoss? Loss { get; init; }

    /// <summary>Runs after every applied optimizer update.</summary>
    public Action? AfterUpdate { get; init; }

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
    public ResolvedPrecision Precision => _precision;

    /// <summary>Takes one optimizer step (and a validation pass when one is due) and says whether to go on.</summary>
    public MonitorVerdict RunStep()
    {
        var microBatches = GetMicroBatches(Step);
        var targets = microBatches.Sum(CountTargets);
        _model.train();
        _optimizer.zero_grad();
        double lossSum = 0;
        foreach (var examples in microBatches)
        {
            using var scope = NewDisposeScope();
            using var batch = _packingCollator?.Collate(examples, _device) ?? _collator.Collate(examples, _device);
            var loss = ComputeLossSum(batch, Loss);
            if (targets > 0)
            {
                // Divided by the whole step's target count, so accumulated micro-batches equal one big batch.
                var stepLoss = loss / targets;
                (_scaler is null ? stepLoss : _scaler.ScaleLoss(stepLoss)).backward();
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
        if (state.FormatVersion != TrainingCheckpoint.FormatVersion || state.TotalSteps != Plan.TotalSteps || state.StepsPerEpoch != Plan.StepsPerEpoch || state.Seed != _options.Seed)
        {
            throw new InvalidDataException(
                $"Checkpoint {directory} belongs to a different run (total steps {state.TotalSteps}, steps per epoch {state.StepsPerEpoch}, seed {state.Seed}; this run: {Plan.TotalSteps}, {Plan.StepsPerEpoch}, {_options.Seed}).");
        }

        TrainingCheckpoint.Restore(directory, state, _trainable, _optimizer);
        _scaler = _precision.UsesLossScaling ? new GradientScaler(_options.LossScaling, state.GradientScaler) : null;
        Step = state.Step;
        ResumedFromStep = state.Step;
        TokensProcessed = state.TokensProcessed;
        WallSeconds = state.WallSeconds;
        LastTrainLoss = state.LastTrainLoss;
        LastValidationLoss = state.LastValidationLoss;
        Monitor = new LossMonitor(_options.EarlyStopping, _options.Divergence, state.Monitor);
        History = new LossHistory(state.LossCurve);
    }

    public void WriteCheckpoint(string directory)
    {
        var state = new TrainingCheckpointState(
            TrainingCheckpoint.FormatVersion, Step, Plan.TotalSteps, Plan.StepsPerEpoch, _options.Seed, TokensProcessed, WallSeconds,
            LastTrainLoss, LastValidationLoss, Monitor.State, [.. History.Points], [.. _trainable.Select(t => t.Name)], _scaler?.State);
        TrainingCheckpoint.Write(directory, state, _trainable, _optimizer);
    }

    public TrainingResult ToResult(TrainingStopReason reason, string message) => new(
        reason, message, Step, Plan.TotalSteps, LastTrainLoss, LastValidationLoss,
        Monitor.State.BestValidationLoss, Monitor.State.BestValidationStep, [.. History.Points],
        TokensProcessed, WallSeconds, ResumedFromStep, _precision.Effective)
    {
        SkippedSteps = _scaler?.SkippedSteps ?? 0,
        FinalLossScale = _scaler?.Scale,
    };

    public void Dispose() => _optimizer.Dispose();

    private AdamW CreateOptimizer()
    {
        // Decoupled weight decay on matrices only; biases and norm scales (vectors) are left alone, as is usual.
        var decayed = _trainable.Where(t => t.Parameter.dim() >= 2 && !t.Name.Contains("norm", StringComparison.OrdinalIgnoreCase)).Select(t => t.Parameter).ToList();
        var undecayed = _trainable.Select(t => t.Parameter).Except(decayed).ToList();
        var groups = new List<AdamW.ParamGroup>();
        if (decayed.Count > 0)
        {
            groups.Add(new AdamW.ParamGroup(decayed, lr: _options.LearningRate, weight_decay: _options.WeightDecay));
        }

        if (undecayed.Count > 0)
        {
            groups.Add(new AdamW.ParamGroup(undecayed, lr: _options.LearningRate, weight_decay: 0));
        }

        return new AdamW(groups, _options.LearningRate);
    }

    private List<List<TrainingExample>> GetMicroBatches(long step)
    {
        var epoch = Plan.EpochOf(step);
        if (_currentOrder is not { } cached || cached.Epoch != epoch)
        {
            _currentOrder = (epoch, DataOrder.Shuffle(_options.Seed, epoch, _train.Count));
        }

        var order = _currentOrder.Value.Order;
        return [.. Plan.MicroBatchesOf(step).Select(range => order[range.Start..range.End].Select(i => _train[i]).ToList())];
    }

    private long CountTargets(List<TrainingExample> examples) => MaskedLoss.CountTargets(examples, _options.MaxSequenceLength);

    private Tensor ComputeLossSum(TrainingBatch batch, TrainingLoss? loss = null)
    {
        Tensor logits;
        if (_precision.ComputeDtype is { } computeDtype)
        {
            // Mixed precision covers the model's forward only; the loss below runs in fp32, as under autocast.
            using var autocast = Autocast.Enable(computeDtype);
            logits = Forward(batch);
        }
        else
        {
            logits = Forward(batch);
        }

        return loss is null ? MaskedLoss.Sum(logits, batch) : loss(logits, batch);
    }

    private Tensor Forward(TrainingBatch batch) =>
        batch is { SegmentIds: { } segments, PositionIds: { } positions } && _packedForward is not null
            ? _packedForward.Forward(batch.InputIds, segments, positions)
            : _forward(batch.InputIds, batch.AttentionMask);

    private void VerifyGradientsOnce(long targets)
    {
        if (_gradientsVerified || targets == 0)
        {
            return;
        }

        _gradientsVerified = true;
        var missing = _trainable.Where(t => t.Parameter.grad is null).Select(t => t.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Trainable parameters received no gradient: {string.Join(", ", missing.Take(5))}. For LoRA adapters the model must run its Linear layers with call(), not forward(), so the adapter hook runs.");
        }
    }

    private void ApplyGradients()
    {
        if (_scaler is not null)
        {
            // Unscaled before clipping, so the threshold applies to the true gradients; an overflow skips the update.
            var finite = _scaler.UnscaleGradients(_trainable.Select(t => (Tensor)t.Parameter));
            _scaler.Update(finite);
            if (!finite)
            {
                return;
            }
        }

        if (_options.MaxGradNorm > 0)
        {
            nn.utils.clip_grad_norm_(_trainable.Select(t => t.Parameter), _options.MaxGradNorm);
        }

        var learningRate = _schedule.LearningRateAt(Step);
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        _optimizer.step();
        if (AfterUpdate is not null)
        {
            using var noGrad = no_grad();
            AfterUpdate();
        }
    }

    private bool IsEvaluationDue()
        => _validation.Count > 0 && ((_options.EvaluateEverySteps > 0 && Step % _options.EvaluateEverySteps == 0) || Step == Plan.TotalSteps);

    private MonitorVerdict Evaluate()
    {
        var loss = CalculateValidationLoss();
        LastValidationLoss = loss;
        History.AddValidationLoss(Step, loss);
        return Monitor.ObserveValidationLoss(Step, loss);
    }

    private double CalculateValidationLoss()
    {
        _model.eval();
        try
        {
            using var noGrad = no_grad();
            double lossSum = 0;
            long targets = 0;
            for (var start = 0; start < _validation.Count; start += _options.BatchSize)
            {
                var examples = _validation.Skip(start).Take(_options.BatchSize).ToList();
                using var scope = NewDisposeScope();
                using var batch = _collator.Collate(examples, _device);
                lossSum += ComputeLossSum(batch).ToDouble();
                targets += CountTargets(examples);
            }

            return targets > 0 ? lossSum / targets : 0;
        }
        finally
        {
            _model.train();
        }
    }
}
