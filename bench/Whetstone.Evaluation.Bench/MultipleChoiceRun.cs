using System.Diagnostics;
using System.Globalization;
using Whetstone.Evaluation.MultipleChoice;
using Whetstone.ML.Benchmarks;
using Whetstone.ML.Models.Pretraining;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.Bench;

/// <summary>
/// Multiple-choice scoring through <see cref="MultipleChoiceScorer"/> (the suite's own code: plain prompts as the
/// general-ability suite asks them, every choice's log-likelihood through the model runtime) at each batch size.
/// </summary>
internal static class MultipleChoiceRun
{
    private const int WarmupItems = 4;

    public static IEnumerable<MultipleChoiceFigures> Measure(string name, string directory, IReadOnlyList<MultipleChoiceItem> items, IReadOnlyList<int> batchSizes, int threads)
    {
        using var model = ModelLoader.LoadLanguageModel(directory, new RuntimeOptions(threads, PreferCuda: false));
        var parameters = ParameterCount(directory);
        double[]? reference = null;
        foreach (var batch in batchSizes)
        {
            var options = new MultipleChoiceOptions(BatchSize: batch, Plain: true);
            MultipleChoiceScorer.Score(model, [.. items.Take(WarmupItems)], options);
            var clock = Stopwatch.StartNew();
            var results = MultipleChoiceScorer.Score(model, items, options);
            var seconds = clock.Elapsed.TotalSeconds;
            var sums = results.SelectMany(r => r.LogLikelihoods).ToArray();
            reference ??= sums;
            var difference = sums.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
            yield return new MultipleChoiceFigures(name, parameters, batch, items.Count, seconds, difference, results.Count(r => r.PredictedNormalized == r.Item.Answer) / (double)items.Count);
        }
    }

    /// <summary>The bench recipe (24 M parameters) built once under <paramref name="work"/>, without pre-training: the weights do not change the speed.</summary>
    public static string BenchModel(string work)
    {
        var directory = Path.Combine(work, "bench-model");
        if (!File.Exists(Path.Combine(directory, BaseModelBuilder.ReportFileName)))
        {
            var clock = Stopwatch.StartNew();
            var size = BenchBaseModel.Size with { Training = BenchBaseModel.Size.Training with { Steps = 0 } };
            BaseModelBuilder.Build(directory, size, seed: 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built the bench model (no pre-training) in {clock.Elapsed.TotalSeconds:F0} s"));
        }

        return directory;
    }

    private static long ParameterCount(string directory)
    {
        var report = Path.Combine(directory, BaseModelBuilder.ReportFileName);
        return File.Exists(report) && System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report))?["Parameters"] is { } count ? count.GetValue<long>() : 0;
    }
}
