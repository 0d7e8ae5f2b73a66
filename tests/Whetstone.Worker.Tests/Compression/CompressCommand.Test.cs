using System.Globalization;
using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Worker.Tests.FineTuning;

namespace Whetstone.Worker.Tests.Compression;

/// <summary>
/// <c>whetstone-worker compress --task</c> as a child process on the committed tiny model and the shipped
/// multiple-choice questions: the aligned int8 path end to end, and an impossible tolerance that fails
/// AlignmentFailed naming layers while still publishing the model marked unaligned.
/// </summary>
public sealed class CompressCommandTest : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "whetstone-compress-test-" + Guid.NewGuid().ToString("N"));

    public CompressCommandTest() => Directory.CreateDirectory(_root);

    [Fact]
    public async Task Int8_then_onnx_on_the_tiny_model_is_aligned_smaller_and_writes_status_model_and_reports()
    {
        var (exitCode, output, status, termination) = await RunAsync("compress-ok", maxDrop: "0.02", minCosine: "0.99");

        Assert.True(exitCode == 0, output);
        Assert.Null(termination);
        Assert.Equal([CompressionStepNames.Quantize, CompressionStepNames.Convert], status.Steps!.Select(s => s.Name));
        Assert.All(status.Steps!, s => Assert.Equal(StepPhases.Succeeded, s.Phase));
        Assert.Contains("ONNX export", status.Steps![0].Message, StringComparison.Ordinal);
        Assert.Contains("no-op", status.Steps![1].Message, StringComparison.Ordinal);
        Assert.True(status.Steps![0].Metrics!["cosineSimilarity"] >= 0.99);
        var results = status.Results!;
        Assert.True(results.Aligned);
        Assert.True(results.CompressionRatio >= 3, $"ratio {results.CompressionRatio}");
        Assert.True(results.CosineSimilarity >= 0.99, $"cosine {results.CosineSimilarity}");
        Assert.True(results.AccuracyDrop <= 0.02);
        Assert.Equal(results.Original!.SizeBytes!.Value / (double)results.Compressed!.SizeBytes!.Value, results.CompressionRatio!.Value, 2);
        var prefix = Path.Combine(_root, "compress-ok", "out", "compress-ok");
        Assert.True(File.Exists(Path.Combine(prefix, "model", "model.onnx")));
        Assert.True(File.Exists(Path.Combine(prefix, "report.png")));
        Assert.Contains("| compressed | OnnxRuntime |", File.ReadAllText(Path.Combine(prefix, "report.md")), StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(prefix, "report.json")));
        Assert.True(report.RootElement.GetProperty("aligned").GetBoolean());
        Assert.Equal(new Uri(Path.Combine(prefix, "model") + "/").AbsoluteUri, status.Artifacts!.Model!.Uri);
    }

    [Fact]
    public async Task An_impossible_tolerance_fails_AlignmentFailed_naming_layers_and_still_publishes_the_model_marked_unaligned()
    {
        var (exitCode, output, status, termination) = await RunAsync("compress-strict", maxDrop: "0", minCosine: "1");

        Assert.True(exitCode == 1, output);
        Assert.Equal(ConditionReasons.AlignmentFailed, termination!.Reason);
        Assert.Contains("not aligned", termination.Message, StringComparison.Ordinal);
        Assert.Contains("worst layers: model.layers.", termination.Message, StringComparison.Ordinal);
        Assert.Contains("cosine", termination.Message, StringComparison.Ordinal);
        Assert.False(status.Results!.Aligned);
        Assert.Equal(termination.Message, status.Message);
        var prefix = Path.Combine(_root, "compress-strict", "out", "compress-strict");
        Assert.True(File.Exists(Path.Combine(prefix, "model", "model.onnx")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(prefix, "manifest.json")));
        Assert.False(manifest.RootElement.GetProperty("aligned").GetBoolean());
        Assert.Contains("## Layers when alignment first broke", File.ReadAllText(Path.Combine(prefix, "report.md")), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    [Fact]
    public async Task Static_quantization_calibrated_on_the_evaluation_records_is_refused_before_any_work()
    {
        var (exitCode, output, _, termination) = await RunAsync("compress-overlap", "0.02", "0.99",
            quantize: "{type: int8, mode: static}", calibration: "file://questions.jsonl");

        Assert.True(exitCode == 1, output);
        Assert.Equal(ConditionReasons.DatasetInvalid, termination!.Reason);
        Assert.StartsWith("spec.calibrationDataset: ", termination.Message, StringComparison.Ordinal);
        Assert.Contains("of its records are also in spec.evaluationDataset", termination.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("original:", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output, CompressionJobStatus Status, WorkerTerminationMessage? Termination)> RunAsync(
        string name, string maxDrop, string minCosine, string quantize = "{type: int8, mode: dynamic}", string? calibration = null)
    {
        var repository = RepositoryFiles.Root;
        var directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        // The first 40 shipped questions keep each run well under a minute on a shared 2-core machine.
        var questions = Path.Combine(directory, "questions.jsonl");
        File.WriteAllLines(questions, File.ReadLines(Path.Combine(repository, "examples", "datasets", "support-multiple-choice.jsonl")).Take(40));
        var task = Path.Combine(directory, "task.yaml");
        File.WriteAllText(task, string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: whetstone.dev/v1alpha1
            kind: CompressionJob
            metadata:
              name: {name}
            spec:
              sourceModel:
                uri: {new Uri(Path.Combine(repository, "examples", "models", "tiny-llama") + "/").AbsoluteUri}
              steps:
                - quantize: {quantize}
                - convert: {"{"}format: onnx{"}"}
              evaluationDataset:
                uri: file://questions.jsonl
                format: multipleChoice
              {(calibration is null ? "" : "calibrationDataset: {uri: " + calibration + "}")}
              alignment:
                maxAccuracyDrop: {maxDrop}
                minCosineSimilarity: {minCosine}
              output:
                uri: file://out/
            """));
        var statusFile = Path.Combine(directory, "status.json");
        var terminationFile = Path.Combine(directory, "termination-log");
        using var worker = new WorkerProcess(
            ["compress", "--task", task, "--status-file", statusFile, "--work-dir", Path.Combine(directory, "work")],
            new Dictionary<string, string> { [WorkerEnvironmentVariables.TerminationMessagePath] = terminationFile });
        var exitCode = await worker.WaitAsync(TimeSpan.FromMinutes(4));
        var status = File.Exists(statusFile) ? KubernetesJson.Deserialize<CompressionJobStatus>(File.ReadAllText(statusFile)) : new CompressionJobStatus();
        var termination = File.Exists(terminationFile) ? WorkerTerminationMessage.Parse(File.ReadAllText(terminationFile)) : null;
        return (exitCode, worker.Output, status, termination);
    }
}
