using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Whetstone.ML.Bench;

/// <summary>
/// One layer's causal attention (queries, keys, values already projected and rotated) forward and backward at a
/// bench size's shape, timed two ways in the same process: libtorch's <c>scaled_dot_product_attention</c> with
/// <c>is_causal</c>, as the model runs it, and the explicit softmax(QKᵀ/√d + mask)·V the PyTorch reference runs.
/// </summary>
internal static class AttentionProfile
{
    public static void Run(BenchModelSize size, int warmupSteps, int measuredSteps, int threads)
    {
        set_num_threads(threads);
        manual_seed(1);
        var config = size.Config;
        long batch = size.BatchSize, time = size.SequenceLength, heads = config.NumAttentionHeads, headDim = config.AttentionHeadDim;
        var causal = ones(time, time, dtype: ScalarType.Bool).tril();
        var ways = new (string Name, Func<Tensor, Tensor, Tensor, Tensor> Attend)[]
        {
            ("sdpa is_causal", (q, k, v) => nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)),
            ("explicit softmax", (q, k, v) => nn.functional.softmax(q.matmul(k.transpose(-1, -2)).div_(Math.Sqrt(headDim)).masked_fill(causal.logical_not(), double.NegativeInfinity), -1).matmul(v)),
        };
        var times = ways.ToDictionary(w => w.Name, _ => (Forward: new List<double>(), Backward: new List<double>()), StringComparer.Ordinal);
        for (var step = 0; step < warmupSteps + measuredSteps; step++)
        {
            foreach (var (name, attend) in step % 2 == 0 ? ways : ways.Reverse())
            {
                using var scope = NewDisposeScope();
                var q = randn(batch, heads, time, headDim).requires_grad_();
                var k = randn(batch, heads, time, headDim).requires_grad_();
                var v = randn(batch, heads, time, headDim).requires_grad_();
                var upstream = randn(batch, heads, time, headDim);
                var clock = Stopwatch.StartNew();
                var output = attend(q, k, v);
                var forward = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                output.backward([upstream]);
                var backward = clock.Elapsed.TotalMilliseconds;
                if (step >= warmupSteps)
                {
                    times[name].Forward.Add(forward);
                    times[name].Backward.Add(backward);
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one layer's attention at {size.Name} ({batch}×{heads} heads×{time}×{headDim}), {threads} thread(s), median ms over {measuredSteps}, ×{config.NumHiddenLayers} layers in a step:"));
        foreach (var (name, _) in ways)
        {
            var (forward, backward) = (CSharpTrainingRun.Median(times[name].Forward), CSharpTrainingRun.Median(times[name].Backward));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-17} forward {forward,7:F2}  backward {backward,7:F2}  per step {(forward + backward) * config.NumHiddenLayers,8:F1}"));
        }
    }
}
