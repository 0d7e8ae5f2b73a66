using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Whetstone.Bench;
using Whetstone.ML.Bench;
using Whetstone.ML.Training;

// Training throughput of Whetstone's trainer on the Llama model against the same model and batch in PyTorch
// (Debian's python3-torch on the system BLAS, OpenBLAS after scripts/setup.d/10-openblas.sh), full fine-tuning and
// LoRA, with model FLOPs utilization against each library's own measured float32 matmul peak.
// Each measurement runs in its own process, so peak memory is that run's alone.
//   dotnet bench/Whetstone.ML.Bench/bin/Release/net10.0/Whetstone.ML.Bench.dll
//     [--sizes small,medium,large] [--threads 1,2] [--modes full,lora] [--steps 4] [--warmup 2] [--rounds 3] [--bf16 yes]
//   --packing STEPS [--batch 8] [--threads 1] [--root REPO]: padding vs sequence packing on examples/datasets/support-chat.jsonl.
//   --profile SIZE [--mode full|lora] [--threads 1]: the phases of one step timed apart (where the time goes).
//   --attention SIZE [--threads 1]: one layer's attention forward and backward, libtorch's fused kernel against the explicit softmax.
//   (--worker SIZE [--mode full|lora] [--precision fp32|bf16] is the child mode the main mode starts for the C# side.)
var arguments = ParseArguments(args);
var warmup = int.Parse(arguments.GetValueOrDefault("warmup", "2"), CultureInfo.InvariantCulture);
var steps = int.Parse(arguments.GetValueOrDefault("steps", "4"), CultureInfo.InvariantCulture);

if (arguments.TryGetValue("worker", out var workerSize))
{
    var precision = arguments.GetValueOrDefault("precision", "fp32") switch
    {
        "fp32" => TrainingPrecision.Fp32,
        "bf16" => TrainingPrecision.Bf16,
        var other => throw new ArgumentException($"--precision must be fp32 or bf16, got '{other}'."),
    };
    var workerThreads = int.Parse(arguments.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture);
    var lora = IsLora(arguments.GetValueOrDefault("mode", "full"));
    var measurement = await CSharpTrainingRun.MeasureAsync(BenchModelSize.Find(workerSize), warmup, steps, workerThreads, lora, precision);
    Console.WriteLine(JsonSerializer.Serialize(measurement));
    return 0;
}

if (arguments.TryGetValue("profile", out var profileSize))
{
    var profiled = BenchModelSize.Find(profileSize);
    var profileThreads = int.Parse(arguments.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture);
    var profileMode = arguments.GetValueOrDefault("mode", "full");
    Console.WriteLine($"CPU: {MachineDescription.Cpu()}; load average at start {MachineDescription.LoadAverage()}");
    StepProfile.Run(profiled, warmup, steps, profileThreads, IsLora(profileMode));

    // The reference's phases right after, in its own process, so both profiles see the same machine.
    var profileConfig = Path.Combine(Path.GetTempPath(), $"whetstone-bench-{profiled.Name}.json");
    profiled.Config.Save(profileConfig);
    Console.Write(RunText("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "python", "train_step_bench.py"), profileConfig,
        $"{profiled.BatchSize}", $"{profiled.SequenceLength}", $"{warmup}", $"{steps}", $"{profileThreads}", profileMode, "profile"]));
    Console.WriteLine($"load average at end {MachineDescription.LoadAverage()}");
    return 0;
}

if (arguments.TryGetValue("attention", out var attentionSize))
{
    AttentionProfile.Run(BenchModelSize.Find(attentionSize), warmup, steps, int.Parse(arguments.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture));
    return 0;
}

if (arguments.TryGetValue("packing", out var packingSteps))
{
    var root = arguments.GetValueOrDefault("root", Directory.GetCurrentDirectory());
    Console.WriteLine($"CPU: {MachineDescription.Cpu()}; load average at start {MachineDescription.LoadAverage()}");
    PackingRun.Run(root, int.Parse(packingSteps, CultureInfo.InvariantCulture), int.Parse(arguments.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture),
        int.Parse(arguments.GetValueOrDefault("batch", "8"), CultureInfo.InvariantCulture));
    Console.WriteLine($"Load average at end: {MachineDescription.LoadAverage()}");
    return 0;
}

var sizes = arguments.GetValueOrDefault("sizes", "small,medium,large").Split(',').Select(BenchModelSize.Find).ToList();
var threadCounts = arguments.GetValueOrDefault("threads", "1,2").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToList();
var modes = arguments.GetValueOrDefault("modes", "full,lora").Split(',').ToList();
var rounds = int.Parse(arguments.GetValueOrDefault("rounds", "3"), CultureInfo.InvariantCulture);
var self = typeof(BenchModelSize).Assembly.Location;
var script = Path.Combine(AppContext.BaseDirectory, "python", "train_step_bench.py");

Console.WriteLine($"CPU: {MachineDescription.Cpu()}; load average at start {MachineDescription.LoadAverage()}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"fp32 CPU training steps, median of {steps} after {warmup} warmup; AdamW + clip_grad_norm_ on both sides; LoRA = rank {CSharpTrainingRun.BenchLora.Rank} alpha {CSharpTrainingRun.BenchLora.Alpha} on {string.Join('+', CSharpTrainingRun.BenchLora.TargetModules)}."));
Console.WriteLine("MFU = training FLOP/s (6·N_matmul + 12·L·d·T per token; LoRA 4·N_matmul + 6·N_adapter + 12·L·d·T) / that side's own 2048² fp32 matmul peak in the same process.");
Console.WriteLine("Targets: ours ≥ 1.1× reference tok/s; MFU ≥ 75 % on full fine-tuning; LoRA ≥ 1.5× full fine-tuning tok/s.");
Console.WriteLine();
Console.WriteLine($"{"size",-7} {"mode",-5} {"thr",3} {"params",11} {"trainable",10} {"batch×seq",9} {"ref tok/s",10} {"our tok/s",10} {"ours/ref",9} {"≥1.1×",5} {"ref MFU",8} {"our MFU",8} {"≥75%",5} {"ref peak GF",11} {"our peak GF",11} {"ref loss",9} {"our loss",9} {"ref MB",7} {"our MB",7} {"load",15}");
var results = new Dictionary<(string Size, string Mode, int Threads), (BenchMeasurement Reference, BenchMeasurement Ours)>();
var roundRatios = new Dictionary<(string Size, string Mode, int Threads), List<double>>();
string? referenceBlas = null;
foreach (var size in sizes)
{
    var configPath = Path.Combine(Path.GetTempPath(), $"whetstone-bench-{size.Name}.json");
    size.Config.Save(configPath);
    foreach (var threads in threadCounts)
    {
        foreach (var mode in modes)
        {
            // Paired rounds in alternating order (reference first, then ours first, ...): the load moves between
            // processes, so each round's ratio compares two runs taken back to back, and the median ratio is reported.
            var pairs = new List<(BenchMeasurement Reference, BenchMeasurement Ours)>();
            for (var round = 0; round < rounds; round++)
            {
                BenchMeasurement Reference() => RunJson("/usr/bin/python3", [script, configPath, $"{size.BatchSize}", $"{size.SequenceLength}", $"{warmup}", $"{steps}", $"{threads}", mode]);
                BenchMeasurement Ours() => RunJson("dotnet", [self, "--worker", size.Name, "--mode", mode, "--warmup", $"{warmup}", "--steps", $"{steps}", "--threads", $"{threads}"]);
                if (round % 2 == 0)
                {
                    var first = Reference();
                    pairs.Add((first, Ours()));
                }
                else
                {
                    var first = Ours();
                    pairs.Add((Reference(), first));
                }
            }

            var reference = MedianBy(pairs.Select(p => p.Reference).ToList());
            var ours = MedianBy(pairs.Select(p => p.Ours).ToList());
            referenceBlas ??= reference.Blas;
            results[(size.Name, mode, threads)] = (reference, ours);
            var flopsPerToken = TrainingFlops.PerToken(size.Config, size.SequenceLength, IsLora(mode), IsLora(mode) ? ours.TrainableParameters : 0);
            var referenceMfu = flopsPerToken * reference.TokensPerSecond / reference.MatmulPeakFlops;
            var ourMfu = flopsPerToken * ours.TokensPerSecond / ours.MatmulPeakFlops;
            var ratios = pairs.Select(p => p.Ours.TokensPerSecond / p.Reference.TokensPerSecond).ToList();
            var ratio = CSharpTrainingRun.Median([.. ratios]);
            roundRatios[(size.Name, mode, threads)] = ratios;
            var mfuVerdict = IsLora(mode) ? "-" : YesNo(ourMfu >= 0.75);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size.Name,-7} {mode,-5} {threads,3} {ours.Parameters,11} {ours.TrainableParameters,10} {$"{size.BatchSize}×{size.SequenceLength}",9} {reference.TokensPerSecond,10:F0} {ours.TokensPerSecond,10:F0} {ratio,9:F2} {YesNo(ratio >= 1.1),5} {referenceMfu,8:P0} {ourMfu,8:P0} {mfuVerdict,5} {reference.MatmulPeakFlops / 1e9,11:F0} {ours.MatmulPeakFlops / 1e9,11:F0} {reference.FinalLoss,9:F4} {ours.FinalLoss,9:F4} {reference.PeakMemoryMb,7:F0} {ours.PeakMemoryMb,7:F0} {MachineDescription.LoadAverage(),15}"));
        }
    }
}

Console.WriteLine();
Console.WriteLine($"ours/ref is the median of {rounds} paired rounds; each round's ratio:");
foreach (var ((cellSize, cellMode, cellThreads), ratios) in roundRatios)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {cellSize} {cellMode} {cellThreads} thread(s): {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}"));
}

Console.WriteLine();
Console.WriteLine($"Reference BLAS: {referenceBlas}");
Console.WriteLine($"update-alternatives: {Alternatives()}");
if (modes.Contains("full") && modes.Contains("lora"))
{
    Console.WriteLine();
    Console.WriteLine("LoRA against full fine-tuning, same size and threads (target: ours ≥ 1.5×):");
    Console.WriteLine($"{"size",-7} {"thr",3} {"our full",9} {"our LoRA",9} {"ours LoRA/full",15} {"≥1.5×",5} {"ref LoRA/full",14}");
    foreach (var size in sizes)
    {
        foreach (var threads in threadCounts)
        {
            var full = results[(size.Name, "full", threads)];
            var lora = results[(size.Name, "lora", threads)];
            var ours = lora.Ours.TokensPerSecond / full.Ours.TokensPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size.Name,-7} {threads,3} {full.Ours.TokensPerSecond,9:F0} {lora.Ours.TokensPerSecond,9:F0} {ours,15:F2} {YesNo(ours >= 1.5),5} {lora.Reference.TokensPerSecond / full.Reference.TokensPerSecond,14:F2}"));
        }
    }
}

if (arguments.ContainsKey("bf16"))
{
    // The mixed-precision path (bf16 matmuls, fp32 master weights) on the CPU: what it costs here, not what a GPU gains.
    Console.WriteLine();
    Console.WriteLine("C# bf16 mixed precision on the CPU (AllowLowPrecisionOnCpu), full fine-tuning, same steps:");
    Console.WriteLine($"{"size",-7} {"thr",3} {"fp32 tok/s",11} {"bf16 tok/s",11} {"bf16/fp32",10} {"fp32 loss",10} {"bf16 loss",10} {"bf16 peak MB",13}");
    foreach (var size in sizes)
    {
        foreach (var threads in threadCounts)
        {
            var bf16 = RunJson("dotnet", [self, "--worker", size.Name, "--warmup", $"{warmup}", "--steps", $"{steps}", "--threads", $"{threads}", "--precision", "bf16"]);
            var fp32 = results.TryGetValue((size.Name, "full", threads), out var measured)
                ? measured.Ours
                : RunJson("dotnet", [self, "--worker", size.Name, "--warmup", $"{warmup}", "--steps", $"{steps}", "--threads", $"{threads}"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{size.Name,-7} {threads,3} {fp32.TokensPerSecond,11:F0} {bf16.TokensPerSecond,11:F0} {bf16.TokensPerSecond / fp32.TokensPerSecond,10:F2} {fp32.FinalLoss,10:F4} {bf16.FinalLoss,10:F4} {bf16.PeakMemoryMb,13:F0}"));
        }
    }
}

Console.WriteLine();
Console.WriteLine($"Load average at end: {MachineDescription.LoadAverage()}");
return 0;

static bool IsLora(string mode) => mode switch
{
    "full" => false,
    "lora" => true,
    _ => throw new ArgumentException($"--mode must be full or lora, got '{mode}'."),
};

static string YesNo(bool met) => met ? "yes" : "NO";

// The run whose tokens/s is the median of the rounds (the lower middle one for an even count), so its other figures
// (MFU peak, memory, loss) belong to the same run.
static BenchMeasurement MedianBy(List<BenchMeasurement> runs) => runs.OrderBy(r => r.TokensPerSecond).ElementAt((runs.Count - 1) / 2);

static string Alternatives()
{
    try
    {
        var start = new ProcessStartInfo("update-alternatives", ["--display", "libblas.so.3-x86_64-linux-gnu"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return string.Join("; ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(3).Select(l => l.Trim()));
    }
    catch (System.ComponentModel.Win32Exception e)
    {
        return $"unavailable ({e.Message})";
    }
}

static BenchMeasurement RunJson(string program, IEnumerable<string> programArguments)
{
    var line = RunText(program, programArguments).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
    return JsonSerializer.Deserialize<BenchMeasurement>(line) ?? throw new InvalidOperationException($"{program} printed no measurement.");
}

static string RunText(string program, IEnumerable<string> programArguments)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in programArguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
    var error = process.StandardError.ReadToEndAsync();
    var output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {error.Result}");
    }

    return output;
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
