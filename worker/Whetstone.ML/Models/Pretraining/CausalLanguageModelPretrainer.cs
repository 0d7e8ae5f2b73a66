using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Whetstone.ML.Models.Pretraining;

/// <summary>
/// Next-token pre-training from scratch: random windows of a token stream, cross-entropy, AdamW with a short
/// linear warm-up then a constant learning rate, global gradient clipping. Kept deliberately plain; fine-tuning
/// (LoRA, schedules, early stopping) lives in the training code.
/// </summary>
public static class CausalLanguageModelPretrainer
{
    private const int HeldOutBatches = 4;

    /// <summary>Trains <paramref name="model"/> in place on <paramref name="training"/>, measuring loss on <paramref name="heldOut"/> before and after.</summary>
    public static PretrainingResult Train(LlamaForCausalLM model, TokenStream training, TokenStream heldOut, PretrainingOptions options,
        IProgress<PretrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var before = MeasureLoss(model, heldOut, options);
        var random = new Random(options.Seed);
        var parameters = model.parameters().ToList();
        using var optimizer = optim.AdamW(parameters, lr: options.LearningRate, weight_decay: options.WeightDecay);
        var warmup = Math.Max(1, options.WarmupSteps);
        var schedule = optim.lr_scheduler.LambdaLR(optimizer, step => Math.Min(1.0, (step + 1.0) / warmup));
        var losses = new List<double>(options.Steps);
        model.train();
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stepClock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                var (inputs, targets) = training.SampleBatch(random, options.BatchSize, options.SequenceLength, model.Device);
                optimizer.zero_grad();
                var loss = Loss(model, inputs, targets);
                loss.backward();
                nn.utils.clip_grad_norm_(parameters, options.MaxGradientNorm);
                optimizer.step();
                schedule.step();
                losses.Add(loss.item<float>());
            }
            var tokensPerSecond = options.BatchSize * options.SequenceLength / Math.Max(1e-9, stepClock.Elapsed.TotalSeconds);
            progress?.Report(new PretrainingProgress(step, options.Steps, losses[^1], tokensPerSecond));
        }
        model.eval();
        var after = MeasureLoss(model, heldOut, options);
        return new PretrainingResult(losses, before, after, clock.Elapsed);
    }

    /// <summary>Mean next-token cross-entropy over a few fixed held-out batches.</summary>
    public static double MeasureLoss(LlamaForCausalLM model, TokenStream heldOut, PretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(heldOut);
        ArgumentNullException.ThrowIfNull(options);
        using var noGrad = no_grad();
        var random = new Random(options.Seed + 1);
        var total = 0.0;
        for (var i = 0; i < HeldOutBatches; i++)
        {
            using var scope = NewDisposeScope();
            var (inputs, targets) = heldOut.SampleBatch(random, options.BatchSize, options.SequenceLength, model.Device);
            total += Loss(model, inputs, targets).item<float>();
        }
        return total / HeldOutBatches;
    }

    private static Tensor Loss(LlamaForCausalLM model, Tensor inputs, Tensor targets)
    {
        var logits = model.Forward(inputs);
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1));
    }
}
