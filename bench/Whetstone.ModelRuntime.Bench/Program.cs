using System.Globalization;
using Whetstone.Measurement;
using Whetstone.ModelRuntime;
using Whetstone.ModelRuntime.Bench;

// TorchSharp FP32 against ONNX Runtime FP32 on the bench Llama (forward at batch 1 and 8, sequence 128; greedy
// generation of 128 tokens with and without the KV cache) and on the digits classifier (batch 1 and 64), all
// through ModelLoader and Whetstone.Measurement.
//   dotnet run -c Release --project bench/Whetstone.ModelRuntime.Bench [-- --steps 0 --runs 10 --warmup 2 --threads 2 --work bench/results]
//   ... -- --per-row MODEL_DIR [--threads 1] [--runs 10]: one row's cost of a batched one-token generate and forward, batch 1 to 32.
var arguments = ParseArguments(args);
var steps = int.Parse(arguments.GetValueOrDefault("steps", "0"), CultureInfo.InvariantCulture);
var runs = int.Parse(arguments.GetValueOrDefault("runs", "10"), CultureInfo.InvariantCulture);
var warmup = int.Parse(arguments.GetValueOrDefault("warmup", "2"), CultureInfo.InvariantCulture);
var threads = int.Parse(arguments.GetValueOrDefault("threads", $"{Environment.ProcessorCount}"), CultureInfo.InvariantCulture);
var newTokens = int.Parse(arguments.GetValueOrDefault("new-tokens", "128"), CultureInfo.InvariantCulture);
if (arguments.TryGetValue("per-row", out var perRowModel))
{
    PerRowCost.Run(perRowModel, int.Parse(arguments.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture), runs);
    return 0;
}

var root = FindRoot();
var work = Path.GetFullPath(arguments.GetValueOrDefault("work", Path.Combine(root, "bench", "results")));
Directory.CreateDirectory(work);

var models = BenchModels.Prepare(work, steps, Path.Combine(root, "examples", "datasets", "digits", "digits.csv"));
var harness = new Harness();
var options = new MeasurementOptions(WarmupRuns: warmup, Runs: runs);
var generationOptions = options with { Runs = Math.Max(1, runs / 5), WarmupRuns = 1 };
var results = new List<MeasurementResult>();
var backends = new[] { (Name: "torch", Llama: models.LanguageTorch, Classifier: models.ClassifierTorch), (Name: "onnx", Llama: models.LanguageOnnx, Classifier: models.ClassifierOnnx) };
var random = new Random(5);
foreach (var backend in backends)
{
    using var runner = ModelLoader.LoadLanguageModel(backend.Llama, new RuntimeOptions(Threads: threads, PreferCuda: false));
    var bytes = ModelBytes(backend.Llama);
    var vocabulary = runner.Tokenizer.VocabularySize;
    foreach (var batch in new[] { 1, 8 })
    {
        var sequences = Enumerable.Range(0, batch).Select(_ => (IReadOnlyList<long>)Enumerable.Range(0, 128).Select(_ => (long)random.Next(3, vocabulary)).ToArray()).ToList();
        results.Add(harness.Measure($"{backend.Name} forward b{batch} s128", options,
            () => { runner.ComputeLogits(sequences, batchSize: batch); return new RunOutcome(batch, batch * 128L); }, bytes, threads));
    }
    IReadOnlyList<IReadOnlyList<long>> prompt = [runner.Tokenizer.Encode("The weather in the mountains", addBos: true).Select(id => (long)id).ToArray()];
    foreach (var cached in new[] { true, false })
    {
        var sampling = new SamplingOptions(newTokens, UseCache: cached);
        results.Add(harness.Measure($"{backend.Name} generate {newTokens} {(cached ? "cached" : "uncached")}", generationOptions, () =>
        {
            var result = runner.Generate(prompt, sampling)[0];
            return new RunOutcome(1, result.TokenIds.Count, TimeSpan.FromSeconds(result.TimeToFirstTokenSeconds));
        }, bytes, threads));
    }
    using var classifier = ModelLoader.LoadClassifier(backend.Classifier, new RuntimeOptions(Threads: threads, PreferCuda: false));
    foreach (var batch in new[] { 1, 64 })
    {
        var rows = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, classifier.InputSize).Select(_ => (float)random.Next(0, 17)).ToArray()).ToList();
        results.Add(harness.Measure($"{backend.Name} digits b{batch}", options with { Runs = runs * 10 },
            () => { classifier.Score(rows, batchSize: batch); return new RunOutcome(batch); }, ModelBytes(backend.Classifier), threads));
    }
}

Console.WriteLine(ResultReport.ToTable(results));
double P50(string name) => results.Single(r => r.Name == name).Latency.P50Ms;
double TokensPerSecond(string name) => results.Single(r => r.Name == name).TokensPerSecond;
Console.WriteLine("ratios (p50 latency torch / onnx; above 1 means ONNX Runtime is faster):");
foreach (var workload in new[] { "forward b1 s128", "forward b8 s128", "digits b1", "digits b64" })
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {workload,-18} torch {P50($"torch {workload}"),9:F2} ms  onnx {P50($"onnx {workload}"),9:F2} ms  ratio {P50($"torch {workload}") / P50($"onnx {workload}"),6:F2}"));
}
var cacheSpeedups = backends.Select(b => (b.Name, Speedup: TokensPerSecond($"{b.Name} generate {newTokens} cached") / TokensPerSecond($"{b.Name} generate {newTokens} uncached"))).ToList();
foreach (var (name, speedup) in cacheSpeedups)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} generation: cached / uncached tokens/s = {speedup:F2}"));
}
var onnxFaster = P50("onnx forward b1 s128") <= P50("torch forward b1 s128");
Console.WriteLine($"target ONNX Runtime FP32 >= TorchSharp FP32 at batch 1: {(onnxFaster ? "met" : "NOT met")}");
Console.WriteLine($"target cached >= 5x uncached at {newTokens} new tokens: {string.Join(", ", cacheSpeedups.Select(c => $"{c.Name} {(c.Speedup >= 5 ? "met" : "NOT met")}"))}");
Console.WriteLine($"machine: {results[^1].Machine.Describe()}");
var json = Path.Combine(work, "modelruntime-bench.json");
File.WriteAllText(json, ResultReport.ToJson(results) + "\n");
Console.WriteLine($"wrote {json}");
return 0;

static long ModelBytes(string directory) =>
    Directory.EnumerateFiles(directory).Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal) || f.Contains(".onnx", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);

static string FindRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
        {
            return directory.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
        }
        result[args[i][2..]] = args[i + 1];
    }
    return result;
}
