using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Whetstone.Measurement;
using Whetstone.ModelRuntime;

namespace Whetstone.Compression.Bench;

/// <summary>What one model measured in its own process: latency at batch 1 and 8 and the process's peak working set.</summary>
/// <remarks>
/// <c>CpuMs1</c>/<c>CpuMs8</c>: the process's CPU time (user + system, all threads) per call at batch 1 and 8, over at
/// least two seconds of calls: on a machine shared with other work the wall-clock latency stretches with the load,
/// the CPU time a call costs much less, so the ratios of CPU times cross-check the latency ratios.
/// </remarks>
internal sealed record SpeedFigures(string Backend, long WeightBytes, MeasurementResult Batch1, MeasurementResult Batch8, long PeakWorkingSetBytes, double CpuMs1, double CpuMs8);

/// <summary>
/// Each variant is timed in a fresh process (this program with <c>measure</c>), so its peak working set is its own
/// and not the high-water mark of every model the parent loaded before it.
/// </summary>
internal static class ChildMeasurement
{
    /// <summary>Language models: forward passes over this many tokens.</summary>
    public const int Sequence = 128;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Runs the child on <paramref name="directory"/> and returns what it measured.</summary>
    public static SpeedFigures Measure(string name, string directory, BenchSettings settings)
    {
        var output = Path.Combine(settings.Work, "speed", name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildMeasurement).Assembly.Location);
        }
        foreach (var argument in new[] { "measure", "--model", directory, "--name", name, "--threads", Invariant(settings.Threads), "--runs", Invariant(settings.Runs), "--warmup", Invariant(settings.Warmup), "--out", output })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"measuring {name} ({directory}) failed with exit code {process.ExitCode}: {stdout} {stderr.Result}");
        }
        return JsonSerializer.Deserialize<SpeedFigures>(File.ReadAllText(output), Json) ?? throw new InvalidDataException($"{output}: empty");
    }

    /// <summary>The child's side: loads the model, times batch 1 and 8, writes the figures to <c>--out</c>.</summary>
    public static int Run(IReadOnlyDictionary<string, string> arguments)
    {
        var directory = arguments["model"];
        var name = arguments["name"];
        var threads = int.Parse(arguments["threads"], CultureInfo.InvariantCulture);
        var runs = int.Parse(arguments["runs"], CultureInfo.InvariantCulture);
        var warmup = int.Parse(arguments["warmup"], CultureInfo.InvariantCulture);
        using var runner = ModelLoader.Load(directory, new RuntimeOptions(Threads: threads, PreferCuda: false));
        var harness = new Harness();
        var random = new Random(5);
        var bytes = runner.Description.WeightBytes;
        var results = new List<MeasurementResult>();
        var cpu = new List<double>();
        foreach (var batch in new[] { 1, 8 })
        {
            Func<RunOutcome> call = runner switch
            {
                ILanguageModelRunner language => LanguageCall(language, batch, random),
                IClassifierRunner classifier => ClassifierCall(classifier, batch, random),
                _ => throw new InvalidOperationException($"{directory}: neither a language model nor a classifier"),
            };
            var (count, skip) = runner is IClassifierRunner ? (runs * 25, warmup * 10) : (batch == 1 ? runs : Math.Max(5, runs / 2), warmup);
            results.Add(harness.Measure($"{name} b{batch}", new MeasurementOptions(WarmupRuns: skip, Runs: count), call, bytes, threads));
            cpu.Add(CpuMsPerCall(call));
        }
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var figures = new SpeedFigures(runner.Description.Backend.ToString(), bytes, results[0], results[1], self.PeakWorkingSet64, cpu[0], cpu[1]);
        File.WriteAllText(arguments["out"], JsonSerializer.Serialize(figures, Json));
        return 0;
    }

    private static Func<RunOutcome> LanguageCall(ILanguageModelRunner runner, int batch, Random random)
    {
        var vocabulary = runner.VocabularySize;
        IReadOnlyList<IReadOnlyList<long>> sequences = [.. Enumerable.Range(0, batch).Select(_ => (IReadOnlyList<long>)[.. Enumerable.Range(0, Sequence).Select(_ => (long)random.Next(3, vocabulary))])];
        return () => { runner.ComputeLogits(sequences, batchSize: batch); return new RunOutcome(batch, batch * (long)Sequence); };
    }

    private static Func<RunOutcome> ClassifierCall(IClassifierRunner runner, int batch, Random random)
    {
        IReadOnlyList<float[]> rows = [.. Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, runner.InputSize).Select(_ => (float)random.Next(0, 17)).ToArray())];
        return () => { runner.Score(rows, batchSize: batch); return new RunOutcome(batch); };
    }

    // At least 2 s and 3 calls: the kernel counts CPU time in scheduler ticks, so short spans would round badly.
    private static double CpuMsPerCall(Func<RunOutcome> call)
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var before = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (calls < 3 || clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            call();
            calls++;
        }
        self.Refresh();
        return (self.TotalProcessorTime - before).TotalMilliseconds / calls;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
