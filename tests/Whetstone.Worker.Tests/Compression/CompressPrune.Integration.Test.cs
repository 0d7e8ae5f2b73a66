using System.Globalization;
using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Worker.Tests.FineTuning;

namespace Whetstone.Worker.Tests.Compression;

/// <summary>
/// <c>whetstone-worker compress --task</c> as a child process with a prune step first: structured pruning of the
/// committed tiny model, then int8 and ONNX, with the pruning figures in status and in the reports.
/// </summary>
public sealed class CompressPruneIntegrationTest : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "whetstone-compress-prune-test-" + Guid.NewGuid().ToString("N"));

    public CompressPruneIntegrationTest() => Directory.CreateDirectory(_root);

    [Fact]
    public async Task A_task_file_with_structured_prune_then_int8_and_onnx_publishes_a_smaller_model_and_reports_the_pruning()
    {
        var repository = RepositoryFiles.Root;
        var questions = Path.Combine(_root, "questions.jsonl");
        File.WriteAllLines(questions, File.ReadLines(Path.Combine(repository, "examples", "datasets", "support-multiple-choice.jsonl")).Take(40));
        var task = Path.Combine(_root, "task.yaml");
        File.WriteAllText(task, string.Create(CultureInfo.InvariantCulture, $"""
            apiVersion: whetstone.dev/v1alpha1
            kind: CompressionJob
            metadata:
              name: compress-prune
            spec:
              sourceModel:
                uri: {new Uri(Path.Combine(repository, "examples", "models", "tiny-llama") + "/").AbsoluteUri}
              steps:
                - prune: {"{"}method: magnitude, sparsity: 0.5, structured: true{"}"}
                - quantize: {"{"}type: int8, mode: dynamic{"}"}
                - convert: {"{"}format: onnx{"}"}
              evaluationDataset:
                uri: file://questions.jsonl
                format: multipleChoice
              alignment:
                maxAccuracyDrop: 0.5
                minCosineSimilarity: 0.5
              output:
                uri: file://out/
            """));
        var statusFile = Path.Combine(_root, "status.json");
        using var worker = new WorkerProcess(
            ["compress", "--task", task, "--status-file", statusFile, "--work-dir", Path.Combine(_root, "work")],
            new Dictionary<string, string> { [WorkerEnvironmentVariables.TerminationMessagePath] = Path.Combine(_root, "termination-log") });

        var exitCode = await worker.WaitAsync(TimeSpan.FromMinutes(6));

        Assert.True(exitCode == 0, worker.Output);
        var status = KubernetesJson.Deserialize<CompressionJobStatus>(File.ReadAllText(statusFile));
        Assert.Equal([CompressionStepNames.Prune, CompressionStepNames.Quantize, CompressionStepNames.Convert], status.Steps!.Select(s => s.Name));
        Assert.All(status.Steps!, s => Assert.Equal(StepPhases.Succeeded, s.Phase));
        var prune = status.Steps![0];
        Assert.Contains("attention heads per layer 4 -> 2", prune.Message, StringComparison.Ordinal);
        Assert.Contains("config.json updated", prune.Message, StringComparison.Ordinal);
        Assert.Equal(2, prune.Metrics!["attentionHeads"]);
        Assert.Equal(176, prune.Metrics["intermediateSize"]);
        Assert.InRange(prune.Metrics["sparsity"], 0.4, 0.5);
        Assert.True(prune.Metrics["parameters"] < prune.Metrics["parametersBefore"] * 0.8, $"{prune.Metrics["parameters"]} of {prune.Metrics["parametersBefore"]}");
        Assert.True(status.Results!.Aligned);
        Assert.True(status.Results.CompressionRatio > 4, $"ratio {status.Results.CompressionRatio}");
        var prefix = Path.Combine(_root, "out", "compress-prune");
        Assert.True(File.Exists(Path.Combine(prefix, "model", "model.onnx")));
        var markdown = File.ReadAllText(Path.Combine(prefix, "report.md"));
        Assert.Contains("## Pruning (step 0)", markdown, StringComparison.Ordinal);
        Assert.Contains("| parameters stored | 869,504 | 533,632 |", markdown, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(prefix, "report.json")));
        Assert.Equal(0.5, report.RootElement.GetProperty("steps")[0].GetProperty("metrics").GetProperty("requestedSparsity").GetDouble());
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
}
