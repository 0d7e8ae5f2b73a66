using System.Diagnostics;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Statistics;
using Whetstone.Measurement;
using Whetstone.ModelRuntime;

namespace Whetstone.Evaluation.Speed;

/// <summary>
/// Latency and throughput of a model at each batch size and concurrency: for each cell, calls run for the warm-up time
/// (not measured), then for the measured time; each of <c>concurrency</c> clients loops calling the model, one call at
/// a time through a lock (runners are single-caller, as in the server's batcher), so end-to-end latency includes the
/// wait. Inference latency is the forward pass alone. Percentiles are the measurement harness's (nearest rank).
/// Language models run one fixed prompt per input (its logits, the greedy next token decided); classifiers one
/// feature row.
/// </summary>
public static class SpeedSuite
{
    /// <summary>Measures every cell.</summary>
    public static IReadOnlyList<SpeedCell> Measure(IModelRunner runner, IReadOnlyList<int> batchSizes, IReadOnlyList<int> concurrency, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(batchSizes);
        ArgumentNullException.ThrowIfNull(concurrency);
        var cells = new List<SpeedCell>();
        foreach (var batch in batchSizes)
        {
            var call = CallFor(runner, batch);
            foreach (var clients in concurrency)
            {
                Run(call, clients, warmup, null, null, cancellationToken);
                var endToEnd = new List<double>();
                var inference = new List<double>();
                var elapsed = Run(call, clients, duration, endToEnd, inference, cancellationToken);
                cells.Add(new SpeedCell(batch, clients, LatencySummary.FromMilliseconds(endToEnd), LatencySummary.FromMilliseconds(inference), endToEnd.Count * batch / elapsed.TotalSeconds));
            }
        }

        return cells;
    }

    /// <summary>
    /// Speed scores: per cell <c>latencyP50Ms.bXcY</c>, <c>latencyP95Ms.bXcY</c>, <c>latencyP99Ms.bXcY</c> (end-to-end),
    /// <c>inferenceP50Ms.bXcY</c>, <c>inferenceP99Ms.bXcY</c> and <c>throughputPerSecond.bXcY</c>; the unsuffixed names
    /// mean the first cell (first batch size, first concurrency), which a gate without a suffix checks. Latencies are
    /// no per-item share, so there is no interval or test: value, baseline and delta only.
    /// </summary>
    public static IReadOnlyList<ScoreComparison> Compare(string suite, IReadOnlyList<SpeedCell> model, IReadOnlyList<SpeedCell>? baseline)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scores = new List<ScoreComparison>();
        foreach (var (cell, index) in model.Select((c, i) => (c, i)))
        {
            var other = baseline?.FirstOrDefault(b => b.Key == cell.Key);
            foreach (var (name, value, otherValue, higherIsBetter) in Values(cell, other))
            {
                var suffixes = index == 0 ? new[] { "", "." + cell.Key } : ["." + cell.Key];
                foreach (var suffix in suffixes)
                {
                    scores.Add(new ScoreComparison(suite, name + suffix, cell.EndToEnd.Count, Point(value), otherValue is { } b ? Point(b) : null,
                        otherValue is { } bb ? Point(value - bb) : null, null, null, higherIsBetter));
                }
            }
        }

        return scores;
    }

    private static IEnumerable<(string Name, double Value, double? Baseline, bool HigherIsBetter)> Values(SpeedCell cell, SpeedCell? other)
    {
        yield return ("latencyP50Ms", cell.EndToEnd.P50Ms, other?.EndToEnd.P50Ms, false);
        yield return ("latencyP95Ms", cell.EndToEnd.P95Ms, other?.EndToEnd.P95Ms, false);
        yield return ("latencyP99Ms", cell.EndToEnd.P99Ms, other?.EndToEnd.P99Ms, false);
        yield return ("inferenceP50Ms", cell.Inference.P50Ms, other?.Inference.P50Ms, false);
        yield return ("inferenceP99Ms", cell.Inference.P99Ms, other?.Inference.P99Ms, false);
        yield return ("throughputPerSecond", cell.ThroughputPerSecond, other?.ThroughputPerSecond, true);
    }

    private static BootstrapInterval Point(double value) => new(value, value, value, []);

    private static Func<double> CallFor(IModelRunner runner, int batch) => runner switch
    {
        ILanguageModelRunner language => LanguageCall(language, batch),
        IClassifierRunner classifier => ClassifierCall(classifier, batch),
        _ => throw new ArgumentException($"cannot measure a {runner.Description.Kind}", nameof(runner)),
    };

    // Returns the inference milliseconds of one call; the caller times the whole call.
    private static Func<double> LanguageCall(ILanguageModelRunner language, int batch)
    {
        const string Prompt = "Where does Anna buy a loaf of bread on Monday morning?";
        return () =>
        {
            var ids = language.Tokenizer.EncodeChat([new ML.Tokenization.ChatMessage("user", Prompt)], addGenerationPrompt: true).Select(id => (long)id).ToArray();
            var inputs = Enumerable.Repeat((IReadOnlyList<long>)ids, batch).ToArray();
            var watch = Stopwatch.StartNew();
            var logits = language.ComputeLogits(inputs, batch);
            var inference = watch.Elapsed.TotalMilliseconds;
            foreach (var row in logits)
            {
                var last = row.AsSpan(row.Length - language.VocabularySize);
                _ = ArgMax(last);
            }

            return inference;
        };
    }

    private static Func<double> ClassifierCall(IClassifierRunner classifier, int batch)
    {
        var random = new Random(1);
        var row = Enumerable.Range(0, classifier.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        return () =>
        {
            var inputs = Enumerable.Range(0, batch).Select(_ => (float[])row.Clone()).ToArray();
            var watch = Stopwatch.StartNew();
            var logits = classifier.Score(inputs, batch);
            var inference = watch.Elapsed.TotalMilliseconds;
            foreach (var scores in logits)
            {
                _ = ArgMax(scores);
            }

            return inference;
        };
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static TimeSpan Run(Func<double> call, int clients, TimeSpan length, List<double>? endToEnd, List<double>? inference, CancellationToken cancellationToken)
    {
        var gate = new Lock();
        var samples = new Lock();
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(_ => Task.Run(() =>
        {
            while (watch.Elapsed < length && !cancellationToken.IsCancellationRequested)
            {
                var started = watch.Elapsed;
                double forward;
                lock (gate)
                {
                    forward = call();
                }

                var total = (watch.Elapsed - started).TotalMilliseconds;
                lock (samples)
                {
                    endToEnd?.Add(total);
                    inference?.Add(forward);
                }
            }
        }, cancellationToken)).ToArray();
        Task.WaitAll(tasks, cancellationToken);
        return watch.Elapsed;
    }
}
