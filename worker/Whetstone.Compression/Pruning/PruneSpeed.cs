using System.Diagnostics;
using Whetstone.Measurement;
using Whetstone.ModelRuntime;

namespace Whetstone.Compression.Pruning;

/// <summary>
/// Times the model before and after a prune step side by side: both loaded at once (TorchSharp on the CPU, one thread) and run
/// alternately, one forward pass of <paramref name="Tokens"/> tokens at batch 1 each, so a busy machine slows both
/// alike. The pipeline's own latency figures are taken minutes apart; this comparison is what the prune note's speed
/// claim rests on.
/// </summary>
/// <param name="BeforeP50Ms">Median latency of the model before.</param>
/// <param name="AfterP50Ms">Median latency of the pruned model.</param>
/// <param name="BeforeMinMs">Fastest pass of the model before (the least disturbed by other work on the machine).</param>
/// <param name="AfterMinMs">Fastest pass of the pruned model.</param>
/// <param name="Rounds">Alternating rounds measured (after the warm-up).</param>
/// <param name="Tokens">Tokens per forward pass.</param>
/// <param name="BeforeCpuP50Ms">Median CPU time of the calling thread per pass before (Linux; null elsewhere): the work itself, whatever else runs on the machine.</param>
/// <param name="AfterCpuP50Ms">The same for the pruned model.</param>
public sealed record PruneSpeed(double BeforeP50Ms, double AfterP50Ms, double BeforeMinMs, double AfterMinMs, int Rounds, int Tokens, double? BeforeCpuP50Ms, double? AfterCpuP50Ms)
{
    /// <summary>Before / after of the median wall-clock latencies; above 1 is faster.</summary>
    public double Speedup => BeforeP50Ms / AfterP50Ms;

    /// <summary>Before / after of the median CPU times per pass, when measured: the speed claim least disturbed by a busy machine.</summary>
    public double? CpuSpeedup => BeforeCpuP50Ms / AfterCpuP50Ms;

    /// <summary>Loads both directories and times them alternately.</summary>
    public static PruneSpeed Compare(string before, string after, int rounds = 40, int tokens = 32, int warmup = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        // On the CPU even where a GPU is present: CPU time per pass means nothing for asynchronous GPU kernels.
        var options = new RuntimeOptions { Threads = 1, Backend = RuntimeBackend.TorchSharp, PreferCuda = false };
        using var first = ModelLoader.LoadLanguageModel(before, options);
        using var second = ModelLoader.LoadLanguageModel(after, options);
        IReadOnlyList<IReadOnlyList<long>> ids = [[.. Enumerable.Range(0, tokens).Select(i => (long)(3 + i % Math.Max(1, first.VocabularySize - 3)))]];
        for (var i = 0; i < warmup; i++)
        {
            first.ComputeLogits(ids, batchSize: 1);
            second.ComputeLogits(ids, batchSize: 1);
        }
        var a = new List<double>(rounds);
        var b = new List<double>(rounds);
        var cpuA = new List<double>(rounds);
        var cpuB = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            // Alternate which goes first, so neither always runs right after the other's cache misses.
            var (x, y, xs, ys, cx, cy) = i % 2 == 0 ? (first, second, a, b, cpuA, cpuB) : (second, first, b, a, cpuB, cpuA);
            Time(x, ids, xs, cx);
            Time(y, ids, ys, cy);
        }
        double? Cpu(List<double> samples) => samples.Count == rounds ? Percentiles.NearestRank(samples, 50) : null;
        return new PruneSpeed(Percentiles.NearestRank(a, 50), Percentiles.NearestRank(b, 50), a.Min(), b.Min(), rounds, tokens, Cpu(cpuA), Cpu(cpuB));
    }

    private static void Time(ILanguageModelRunner runner, IReadOnlyList<IReadOnlyList<long>> ids, List<double> wall, List<double> cpu)
    {
        var cpuStart = ThreadCpuClock.NowMs();
        var clock = Stopwatch.StartNew();
        runner.ComputeLogits(ids, batchSize: 1);
        wall.Add(clock.Elapsed.TotalMilliseconds);
        if (cpuStart is { } start && ThreadCpuClock.NowMs() is { } end)
        {
            cpu.Add(end - start);
        }
    }
}
