using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using static TorchSharp.torch;

namespace Whetstone.ML.Bench;

/// <summary>
/// Where a training step's time goes: the trainer's step taken apart (zero_grad, forward with the loss, backward,
/// clip_grad_norm_, AdamW), each phase timed on its own, median over the measured steps. For finding a gap, not a
/// figure to quote: the trainer runs the same operations without the clocks.
/// </summary>
/// <remarks>
/// Both optimizers step on the same gradients every step, one after the other in alternating order: TorchSharp's
/// <c>AdamW</c> and the trainer's (<see cref="Training.AdamW"/>, the same update with each parameter's temporaries
/// released at once), each with its own state, so their times are a paired comparison. The parameters move twice
/// per step, which a profile does not mind.
/// </remarks>
internal static class StepProfile
{
    public static void Run(BenchModelSize size, int warmupSteps, int measuredSteps, int threads, bool lora)
    {
        set_num_threads(threads);
        manual_seed(1);
        var model = new LlamaForCausalLM(size.Config);
        model.InitializeWeights();
        if (lora)
        {
            LoraInjector.Inject(model, CSharpTrainingRun.BenchLora);
        }

        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trainable, lr: 1e-4, weight_decay: 0.01);
        using var ours = new Training.AdamW([new TorchSharp.Modules.AdamW.ParamGroup(trainable, lr: 1e-4, weight_decay: 0.01)], 1e-4);
        var phases = new[] { "zero_grad", "forward+loss", "backward", "clip", "adamw TorchSharp", "adamw ours" };
        var times = phases.ToDictionary(p => p, _ => new List<double>(), StringComparer.Ordinal);
        var generator = new Random(1);
        model.train();
        for (var step = 0; step < warmupSteps + measuredSteps; step++)
        {
            using var scope = NewDisposeScope();
            var ids = tensor([.. Enumerable.Range(0, size.BatchSize * size.SequenceLength).Select(_ => (long)generator.Next(1, size.Config.VocabSize))], [size.BatchSize, size.SequenceLength]);
            var clock = Stopwatch.StartNew();
            void Mark(string phase)
            {
                if (step >= warmupSteps)
                {
                    times[phase].Add(clock.Elapsed.TotalMilliseconds);
                }

                clock.Restart();
            }

            optimizer.zero_grad();
            Mark("zero_grad");
            var logits = model.Forward(ids);
            var length = size.SequenceLength;
            var loss = nn.functional.cross_entropy(logits.narrow(1, 0, length - 1).reshape(-1, size.Config.VocabSize), ids.narrow(1, 1, length - 1).reshape(-1));
            Mark("forward+loss");
            loss.backward();
            Mark("backward");
            nn.utils.clip_grad_norm_(trainable, 1.0);
            Mark("clip");
            if (step % 2 == 0)
            {
                optimizer.step();
                Mark("adamw TorchSharp");
                ours.step();
                Mark("adamw ours");
            }
            else
            {
                ours.step();
                Mark("adamw ours");
                optimizer.step();
                Mark("adamw TorchSharp");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size.Name} {(lora ? "lora" : "full")}, {threads} thread(s), median ms per phase over {measuredSteps} steps:"));
        foreach (var phase in phases)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase,-17} {CSharpTrainingRun.Median(times[phase]),8:F1}"));
        }
    }
}
