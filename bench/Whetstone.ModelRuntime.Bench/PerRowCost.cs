using System.Diagnostics;
using System.Globalization;
using Whetstone.ModelRuntime;

namespace Whetstone.ModelRuntime.Bench;

/// <summary>
/// What one row of a batched forward costs in the runtime itself, without HTTP: <c>Generate</c> with one new token
/// (the serving benchmark's <c>forward</c> workload) on the serving benchmark's five short prompts, at batch 1 to 32,
/// and beside it <c>ComputeLogits</c> on the same prompts (the model's forward alone, no decoding loop).
/// </summary>
internal static class PerRowCost
{
    private static readonly string[] Prompts =
    [
        "How do I reset my password?", "Where is my order?", "Can I change the delivery address?",
        "How do I cancel my subscription?", "What is the refund policy?",
    ];

    public static void Run(string modelDirectory, int threads, int calls)
    {
        using var runner = ModelLoader.LoadLanguageModel(modelDirectory, new RuntimeOptions(Threads: threads, PreferCuda: false));
        var encoded = Prompts.Select(p => (IReadOnlyList<long>)runner.Tokenizer.Encode(p, addBos: true).Select(id => (long)id).ToArray()).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{modelDirectory}: {runner.Description.Backend}, {threads} thread(s), prompts of {encoded.Min(p => p.Count)}–{encoded.Max(p => p.Count)} tokens, median of {calls} calls"));
        Console.WriteLine($"{"batch",5} {"generate ms",12} {"per row",8} {"row vs b1",10} {"logits ms",10} {"per row",8} {"row vs b1",10}");
        double? generateAlone = null, logitsAlone = null;
        foreach (var batch in new[] { 1, 2, 4, 8, 16, 32 })
        {
            var prompts = Enumerable.Range(0, batch).Select(i => encoded[i % encoded.Count]).ToList();
            var sampling = new SamplingOptions(MaxNewTokens: 1);
            var generate = Median(calls, () => runner.Generate(prompts, sampling));
            var logits = Median(calls, () => runner.ComputeLogits(prompts, batchSize: batch));
            generateAlone ??= generate;
            logitsAlone ??= logits;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{batch,5} {generate,12:F2} {generate / batch,8:F3} {generateAlone.Value / (generate / batch),9:F2}× {logits,10:F2} {logits / batch,8:F3} {logitsAlone.Value / (logits / batch),9:F2}×"));
        }
    }

    private static double Median(int calls, Action call)
    {
        call();
        var times = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            call();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
