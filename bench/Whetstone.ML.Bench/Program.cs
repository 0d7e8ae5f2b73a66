using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Whetstone.ML.Bench;
using Whetstone.ML.Training;

// Training throughput of Whetstone's trainer on the Llama model against the same model and batch in PyTorch.
// Each measurement runs in its own process, so peak memory is that run's alone.
//   dotnet run -c Release --project bench/Whetstone.ML.Bench [-- --steps 8 --warmup 2 --threads 1]
//   (--worker SIZE [--precision fp32|bf16] is the child mode the main mode starts for the C# side.)
var arguments = ParseArguments(args);
var warmup = int.Parse(arguments.GetValueOrDefault("warmup", "2"), CultureInfo.InvariantCulture);
var steps = int.Parse(arguments.GetValueOrDefault("steps", "8"), CultureInfo.InvariantCulture);
var threads = int.Parse(arguments.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture);

if (arguments.TryGetValue("worker", out var workerSize))
{
    var precision = arguments.GetValueOrDefault("precision", "fp32") switch
    {
        "fp32" => TrainingPrecision.Fp32,
        "bf16" => TrainingPrecision.Bf16,
        var other => throw new ArgumentException($"--precision must be fp32 or bf16, got '{other}'."),
    };
    var measurement = await CSharpTrainingRun.MeasureAsync(BenchModelSize.Find(workerSize), warmup, steps, threads, precision);
    Console.WriteLine(JsonSerializer.Serialize(measurement));
    return 0;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Full fine-tuning steps, fp32 CPU, {threads} thread(s), median of {steps} steps after {warmup} warmup; AdamW + clip_grad_norm_ on both sides."));
Console.WriteLine($"{"size",-7} {"params",10} {"batch×seq",10} {"C# tok/s",10} {"C# step ms",11} {"PyTorch tok/s",14} {"Py step ms",11} {"C#/PyTorch",11} {"C# peak MB",11} {"Py peak MB",11}");
var fp32Runs = new Dictionary<string, BenchMeasurement>(StringComparer.Ordinal);
foreach (var size in BenchModelSize.All)
{
    var self = typeof(BenchModelSize).Assembly.Location;
    var csharp = RunJson("dotnet", [self, "--worker", size.Name, "--warmup", $"{warmup}", "--steps", $"{steps}", "--threads", $"{threads}"]);
    var configPath = Path.Combine(Path.GetTempPath(), $"whetstone-bench-{size.Name}.json");
    size.Config.Save(configPath);
    var script = Path.Combine(AppContext.BaseDirectory, "python", "train_step_bench.py");
    var python = RunJson("/usr/bin/python3", [script, configPath, $"{size.BatchSize}", $"{size.SequenceLength}", $"{warmup}", $"{steps}", $"{threads}"]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{size.Name,-7} {csharp.Parameters,10} {$"{size.BatchSize}×{size.SequenceLength}",10} {csharp.TokensPerSecond,10:F0} {csharp.MedianStepSeconds * 1000,11:F1} {python.TokensPerSecond,14:F0} {python.MedianStepSeconds * 1000,11:F1} {csharp.TokensPerSecond / python.TokensPerSecond,11:F2} {csharp.PeakMemoryMb,11:F0} {python.PeakMemoryMb,11:F0}"));
    fp32Runs[size.Name] = csharp;
}

// The mixed-precision path (bf16 matmuls, fp32 master weights) on the CPU: what it costs here, not what a GPU gains.
Console.WriteLine();
Console.WriteLine("C# bf16 mixed precision on the CPU (AllowLowPrecisionOnCpu), same steps:");
Console.WriteLine($"{"size",-7} {"fp32 tok/s",11} {"bf16 tok/s",11} {"bf16/fp32",10} {"fp32 loss",10} {"bf16 loss",10} {"bf16 peak MB",13}");
foreach (var size in BenchModelSize.All)
{
    var self = typeof(BenchModelSize).Assembly.Location;
    var bf16 = RunJson("dotnet", [self, "--worker", size.Name, "--warmup", $"{warmup}", "--steps", $"{steps}", "--threads", $"{threads}", "--precision", "bf16"]);
    var fp32 = fp32Runs[size.Name];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{size.Name,-7} {fp32.TokensPerSecond,11:F0} {bf16.TokensPerSecond,11:F0} {bf16.TokensPerSecond / fp32.TokensPerSecond,10:F2} {fp32.FinalLoss,10:F4} {bf16.FinalLoss,10:F4} {bf16.PeakMemoryMb,13:F0}"));
}

return 0;

static BenchMeasurement RunJson(string program, IEnumerable<string> programArguments)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in programArguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
    var output = process.StandardOutput.ReadToEnd();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {error}");
    }

    var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
    return JsonSerializer.Deserialize<BenchMeasurement>(line) ?? throw new InvalidOperationException($"{program} printed no measurement.");
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Expected an option like --steps, got '{args[i]}'.");
        }

        parsed[args[i][2..]] = args[i + 1];
    }

    return parsed;
}
