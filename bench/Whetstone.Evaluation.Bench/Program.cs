using System.Globalization;
using System.Text.Json;
using Whetstone.Bench;
using Whetstone.Evaluation.Bench;
using Whetstone.Evaluation.MultipleChoice;

// The EvaluationRun benchmark (issue #15, "Performance"): the contamination check on 100k training x 10k test
// synthetic records (target: under 30 s, memory bounded), then multiple-choice items/s on the demo and bench models,
// one at a time against batched, side by side.
//   dotnet build bench/Whetstone.Evaluation.Bench -c Release
//   dotnet bench/Whetstone.Evaluation.Bench/bin/Release/net10.0/Whetstone.Evaluation.Bench.dll [--threads 2 --items 200 ...]
const double TargetSeconds = 30;
var root = BenchOptions.FindRoot();
var options = BenchOptions.Parse(args, root);
Directory.CreateDirectory(options.Work);
Console.WriteLine($"cpu: {MachineDescription.Cpu()}; load average at start {MachineDescription.LoadAverage()}; runtime threads {options.Threads}");

// First, before any model is loaded, so the process's peak resident set is the check's alone (plus the records).
var contamination = ContaminationRun.Measure(options.TrainingRecords, options.TestRecords, options.Seed);
Console.WriteLine();
Console.WriteLine(F($"contamination check, {contamination.Training:N0} training x {contamination.Test:N0} test records (seed {options.Seed}, 13-grams, 5 % share):"));
Console.WriteLine(F($"  records generated in {contamination.GenerateSeconds:F1} s; check {contamination.CheckSeconds:F1} s (target < {TargetSeconds:F0} s: {(contamination.CheckSeconds < TargetSeconds ? "met" : "MISSED")}, {TargetSeconds / contamination.CheckSeconds:F1}x headroom)"));
Console.WriteLine(F($"  flagged {contamination.Found} ({contamination.ExactDuplicates} exact copies); planted {contamination.Planted}, found {contamination.PlantedFound} (recall {(double)contamination.PlantedFound / Math.Max(1, contamination.Planted):P1}), {contamination.Found - contamination.PlantedFound} flagged but not planted; {contamination.IgnoredNgrams:N0} boilerplate n-grams ignored"));
Console.WriteLine(F($"  memory: RSS {Mib(contamination.RssBeforeBytes)} MiB with the records loaded, peak RSS {Mib(contamination.PeakRssBytes)} MiB ({Mib(contamination.PeakRssBytes - contamination.RssBeforeBytes)} MiB for the check), peak managed heap {Mib(contamination.PeakManagedBytes)} MiB"));

var items = MultipleChoiceFile.Read(Path.Combine(root, "examples", "datasets", "general-mc.jsonl"), options.Items);
var figures = new List<MultipleChoiceFigures>();
foreach (var model in options.Models)
{
    var directory = model == "demo" ? Path.Combine(root, "examples", "models", "tiny-llama") : MultipleChoiceRun.BenchModel(options.Work);
    figures.AddRange(MultipleChoiceRun.Measure(model, directory, items, options.BatchSizes, options.Threads));
}

Console.WriteLine();
Console.WriteLine(F($"multiple choice, {items.Count} general-mc questions x 4 choices, plain prompts, {options.Threads} threads:"));
Console.WriteLine("  model  parameters  batch   items/s   vs batch 1   seconds   max |dLL| vs batch 1   acc_norm");
foreach (var row in figures)
{
    var single = figures.First(f => f.Model == row.Model);
    Console.WriteLine(F($"  {row.Model,-5}  {row.Parameters,10:N0}  {row.BatchSize,5}  {row.ItemsPerSecond,8:F1}  {row.ItemsPerSecond / single.ItemsPerSecond,10:F2}x  {row.Seconds,8:F2}  {row.MaxLogLikelihoodDifference,21:E1}  {row.Accuracy,9:F3}"));
}

Console.WriteLine();
Console.WriteLine($"load average at end {MachineDescription.LoadAverage()}");
var output = Path.Combine(root, "bench", "results", "evaluation-bench.json");
File.WriteAllText(output, JsonSerializer.Serialize(new
{
    cpu = MachineDescription.Cpu(),
    load = MachineDescription.LoadAverage(),
    options.Threads,
    contamination,
    targetSeconds = TargetSeconds,
    multipleChoice = figures.Select(f => new { f.Model, f.Parameters, f.BatchSize, f.Items, f.Seconds, f.ItemsPerSecond, f.MaxLogLikelihoodDifference, f.Accuracy }),
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {output}");
return 0;

static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static string Mib(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
