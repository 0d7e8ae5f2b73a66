using System.Globalization;
using Whetstone.Bench;
using Whetstone.Compression;
using Whetstone.Compression.Bench;
using Whetstone.Measurement;
using Whetstone.Onnx;

// The CompressionJob benchmark (issue #14, "Performance"): every variant made by the compression pipeline, then
// each timed in its own process at batch 1 and 8, side by side in one run, with the targets met or not.
//   dotnet build bench/Whetstone.Compression.Bench -c Release
//   dotnet bench/Whetstone.Compression.Bench/bin/Release/net10.0/Whetstone.Compression.Bench.dll [--threads 2 --runs 20 ...]
if (args.Length > 0 && args[0] == "measure")
{
    return ChildMeasurement.Run(Arguments.Parse(args[1..]));
}
var root = Arguments.FindRoot();
var settings = BenchSettings.Parse(Arguments.Parse(args), root);
Directory.CreateDirectory(settings.Work);
var started = DateTime.UtcNow;
Console.WriteLine($"machine: {MachineFacts.Read(settings.Threads).Describe()}");
Console.WriteLine($"cpu: {MachineDescription.Cpu()}; load average at start {MachineDescription.LoadAverage()}");

var inputs = BenchInputs.Prepare(settings.Work, settings, Path.Combine(root, "examples", "datasets", "digits", "digits.csv"));
var runs = new CompressionRuns(inputs, settings);

// Every compressed model, through the pipeline.
var llamaOnnx = runs.Llama("llama-fp32-onnx", CompressionRuns.Convert());
var llamaFp16 = runs.Llama("llama-fp16", CompressionRuns.Quantize("fp16"));
var llamaDynamic = runs.Llama("llama-int8-dynamic", CompressionRuns.Quantize("int8"));
var llamaStatic = runs.Llama("llama-int8-static", CompressionRuns.Quantize("int8", "static"));
var llamaPruned = runs.Llama("llama-structured30-recovery-int8", runs.Prune(0.3, structured: true, recover: true), CompressionRuns.Quantize("int8"));
var llamaStudent = runs.Llama("llama-distilled", runs.Distill(), CompressionRuns.Convert());
var digitsOnnx = runs.Digits("digits-fp32-onnx", CompressionRuns.Convert());
var digitsFp16 = runs.Digits("digits-fp16", CompressionRuns.Quantize("fp16"));
var digitsDynamic = runs.Digits("digits-int8-dynamic", CompressionRuns.Quantize("int8"));
var digitsStatic = runs.Digits("digits-int8-static", CompressionRuns.Quantize("int8", "static"));

// The structured 30 % + recovery model as FP32 ONNX (what the convert step writes), for its speed alone.
var prunedStep = llamaPruned.Outcome.Steps[0];
var prunedOnnx = Path.Combine(settings.Work, "llama-structured30-recovery-onnx");
if (Directory.Exists(prunedOnnx))
{
    Directory.Delete(prunedOnnx, recursive: true);
}
OnnxExporter.Export(prunedStep.Directory, prunedOnnx);

// The sparsity–accuracy curve on the Llama (pruning works on Llama models only).
var curve = new List<CurvePoint>();
foreach (var (sparsity, structured) in new[] { (0.3, false), (0.5, false), (0.7, false), (0.3, true), (0.5, true) })
{
    foreach (var recover in new[] { false, true })
    {
        var step = structured && recover && sparsity == 0.3 ? prunedStep
            : runs.Llama(string.Create(CultureInfo.InvariantCulture, $"curve-{(structured ? "structured" : "unstructured")}{sparsity * 100:F0}{(recover ? "-recovery" : "")}"),
                runs.Prune(sparsity, structured, recover)).Outcome.Steps[0];
        curve.Add(new CurvePoint(structured ? "structured" : "unstructured", sparsity, recover, step.Metrics["sparsity"], step.Figures.Parameters, step.Figures.SizeBytes,
            step.Metrics.GetValueOrDefault("sideBySideCpuSpeedup", step.Metrics["speedupOverPreviousStep"]), step.Alignment,
            step.Metrics.TryGetValue("recoveryValidationLoss", out var loss) ? loss : null));
    }
}

// Speed, each model in its own process; operators ONNX Runtime runs after its graph optimizations.
var rows = new List<VariantRow>();
VariantRow Row(string model, string variant, string directory, Whetstone.Compression.Alignment.AlignmentFigures? alignment)
{
    Console.WriteLine($"timing {model} {variant}");
    var speed = ChildMeasurement.Measure($"{model}-{variant}".Replace(' ', '-').Replace('%', 'p').Replace('+', '-'), directory, settings);
    var operators = File.Exists(Path.Combine(directory, "model.onnx"))
        ? GraphInspection.OptimizedOperators(directory, Path.Combine(settings.Work, "optimized", $"{model}-{rows.Count}"))
        : null;
    var row = new VariantRow(model, variant, directory, speed, alignment, operators);
    rows.Add(row);
    return row;
}
var llamaTorch = Row("llama", "FP32 TorchSharp", inputs.Llama, null);
var llamaOrt = Row("llama", "FP32 ONNX Runtime", llamaOnnx.Directory, llamaOnnx.Outcome.Alignment);
Row("llama", "FP16 weights", llamaFp16.Directory, llamaFp16.Outcome.Alignment);
var llamaInt8 = Row("llama", "INT8 dynamic", llamaDynamic.Directory, llamaDynamic.Outcome.Alignment);
Row("llama", "INT8 static (min-max)", llamaStatic.Directory, llamaStatic.Outcome.Alignment);
var llamaPrunedFp32 = Row("llama", "structured 30% + recovery, FP32 ONNX", prunedOnnx, prunedStep.Alignment);
Row("llama", "structured 30% + recovery + INT8", llamaPruned.Directory, llamaPruned.Outcome.Alignment);
var llamaStudentRow = Row("llama", "distilled student, FP32 ONNX", llamaStudent.Directory, llamaStudent.Outcome.Alignment);
Row("digits", "FP32 TorchSharp", inputs.Digits, null);
var digitsOrt = Row("digits", "FP32 ONNX Runtime", digitsOnnx.Directory, digitsOnnx.Outcome.Alignment);
Row("digits", "FP16 weights", digitsFp16.Directory, digitsFp16.Outcome.Alignment);
var digitsInt8 = Row("digits", "INT8 dynamic", digitsDynamic.Directory, digitsDynamic.Outcome.Alignment);
Row("digits", "INT8 static (min-max)", digitsStatic.Directory, digitsStatic.Outcome.Alignment);

var targets = Targets.Evaluate(llamaOrt, llamaInt8, llamaPrunedFp32, llamaStudentRow, digitsOrt, digitsInt8);
var flops = new Dictionary<string, long>
{
    ["llama"] = GraphInspection.MatMulFlopsPerToken(inputs.Llama),
    ["llama structured 30%"] = GraphInspection.MatMulFlopsPerToken(prunedStep.Directory),
    ["llama distilled student"] = GraphInspection.MatMulFlopsPerToken(llamaStudent.Outcome.Steps[0].Directory),
};

Console.WriteLine();
Console.WriteLine(BenchReport.VariantTable(rows));
Console.WriteLine($"Llama: {llamaTorch.Speed.WeightBytes:N0} bytes FP32; alignment on {inputs.LlamaEvaluation.Count} held-out corpus texts (metric perplexity: drop = relative rise; top-1 = next-token agreement with FP32 TorchSharp).");
Console.WriteLine($"digits: alignment on {inputs.DigitsEvaluation.Count} test rows (metric accuracy).");
Console.WriteLine();
Console.WriteLine("sparsity-accuracy curve (bench Llama, prune step figures; side-by-side speedup = the step's own TorchSharp timing, 1 thread):");
Console.WriteLine(BenchReport.CurveTable(curve));
Console.WriteLine("matmul FLOPs per token (projections and output layer): " + string.Join(", ", flops.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Value:N0}"))));
Console.WriteLine("operators ONNX Runtime runs (optimized graph, matmul and quantization nodes):");
foreach (var row in rows.Where(r => r.Operators is not null))
{
    var interesting = row.Operators!.Where(o => o.Key.Contains("MatMul", StringComparison.Ordinal) || o.Key.Contains("Gemm", StringComparison.Ordinal)
        || o.Key.Contains("Quantize", StringComparison.Ordinal) || o.Key.EndsWith("Cast", StringComparison.Ordinal));
    Console.WriteLine($"  {row.Model} {row.Variant}: {string.Join(", ", interesting.Select(o => $"{o.Key} {o.Value}"))}");
}
Console.WriteLine();
Console.WriteLine(BenchReport.TargetTable(targets));
Console.WriteLine(runs.Retries.Count == 0 ? "no pipeline needed a retry" : "pipelines repeated after a libtorch failure: " + string.Join("; ", runs.Retries));
var machine = MachineFacts.Read(settings.Threads);
Console.WriteLine($"machine: {machine.Describe()}");
Console.WriteLine($"cpu: {MachineDescription.Cpu()}; load average at the end {MachineDescription.LoadAverage()}; {(DateTime.UtcNow - started).TotalMinutes:F1} min");
var json = Path.Combine(Path.GetDirectoryName(settings.Work)!, "compression-bench.json");
BenchReport.WriteJson(json, new
{
    Started = started,
    Minutes = (DateTime.UtcNow - started).TotalMinutes,
    Machine = machine,
    Cpu = MachineDescription.Cpu(),
    LoadAverageAtEnd = MachineDescription.LoadAverage(),
    Settings = settings,
    Variants = rows,
    Curve = curve,
    MatMulFlopsPerToken = flops,
    Targets = targets,
    Retries = runs.Retries,
    Pipelines = new[] { llamaOnnx, llamaFp16, llamaDynamic, llamaStatic, llamaPruned, llamaStudent, digitsOnnx, digitsFp16, digitsDynamic, digitsStatic }
        .Select(p => new { p.Label, Seconds = p.Elapsed.TotalSeconds, Steps = p.Outcome.Steps.Select(s => new { s.Name, s.Note, s.Metrics, s.Alignment, s.Figures }) }),
});
Console.WriteLine($"wrote {json}");
return 0;
