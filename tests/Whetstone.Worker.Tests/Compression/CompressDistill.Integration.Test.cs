using System.Globalization;
using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Api.Workers;
using Whetstone.Artifacts.Tests.S3;
using Whetstone.Worker.Tests.FineTuning;

namespace Whetstone.Worker.Tests.Compression;

/// <summary>
/// <c>whetstone-worker compress --task</c> as a child process with a distill step first: the committed tiny model
/// distilled into a 2-layer, 64-wide student on shipped support chats (prepared and masked as a FineTuneJob's), then
/// int8 and ONNX; the step's metrics in status and the reports; a second run on the same work folder resumes from
/// the distillation's checkpoint; a student larger than the teacher is refused before any work.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class CompressDistillIntegrationTest(S3rverFixture server) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "whetstone-compress-distill-test-" + Guid.NewGuid().ToString("N"));


    [Fact]
    public async Task A_task_file_with_distill_then_int8_and_onnx_publishes_the_student_reports_the_step_and_resumes_from_its_checkpoint()
    {
        var (exitCode, output, status, _) = await RunAsync("compress-distill", "{layers: 2, hiddenSize: 64}");

        Assert.True(exitCode == 0, output);
        Assert.Equal([CompressionStepNames.Distill, CompressionStepNames.Quantize, CompressionStepNames.Convert], status.Steps!.Select(s => s.Name));
        Assert.All(status.Steps!, s => Assert.Equal(StepPhases.Succeeded, s.Phase));
        var distill = status.Steps![0];
        Assert.Contains("distilled a student of 2 layers, hidden 64", distill.Message, StringComparison.Ordinal);
        var metrics = distill.Metrics!;
        Assert.Equal(869_504, metrics["teacherParameters"]);
        Assert.Equal(158_016, metrics["studentParameters"]);
        Assert.InRange(metrics["epochs"], 0.3, 1.0);
        Assert.InRange(metrics["steps"], 5, 20);
        Assert.InRange(metrics["distillLoss"], 0.01, 20);
        Assert.True(status.Results!.Compressed!.SizeBytes < status.Results.Original!.SizeBytes / 5, $"{status.Results.Compressed.SizeBytes} of {status.Results.Original.SizeBytes} bytes");
        var prefix = Path.Combine(_root, "compress-distill", "out", "compress-distill");
        Assert.True(File.Exists(Path.Combine(prefix, "model", "model.onnx")));
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(prefix, "report.json"))))
        {
            Assert.Equal(metrics["distillLoss"], report.RootElement.GetProperty("steps")[0].GetProperty("metrics").GetProperty("distillLoss").GetDouble(), 6);
        }
        Assert.NotEmpty(StepCheckpoints("compress-distill"));

        // The same job again on the same work folder, as after a kill: the distillation resumes at its checkpoint.
        var (againExit, againOutput, again, _) = await RunAsync("compress-distill", "{layers: 2, hiddenSize: 64}");

        Assert.True(againExit == 0, againOutput);
        Assert.Equal(metrics["steps"], again.Steps![0].Metrics!["resumedFromStep"]);
        Assert.Equal(metrics["distillLoss"], again.Steps[0].Metrics!["distillLoss"], 6);
    }

    [Fact]
    public async Task A_student_larger_than_the_teacher_is_refused_before_any_work()
    {
        var (exitCode, output, _, termination) = await RunAsync("compress-large-student", "{layers: 8, hiddenSize: 64}");

        Assert.True(exitCode == 1, output);
        Assert.Equal(ConditionReasons.WorkerFailed, termination!.Reason);
        Assert.Contains("spec.steps[0].distill.student.layers: 8 is larger than the teacher's num_hidden_layers (4)", termination.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("original:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("train/validation examples", output, StringComparison.Ordinal);
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
    public async Task Sigterm_during_distillation_checkpoints_exits_143_and_the_next_attempt_resumes_there()
    {
        await StopDuringDistillationAsync(Start("compress-sigterm", "{layers: 2, hiddenSize: 64}", epochs: 6));

        Assert.NotEmpty(StepCheckpoints("compress-sigterm"));
        Assert.False(File.Exists(Path.Combine(_root, "compress-sigterm", "out", "compress-sigterm", "manifest.json")), "nothing is published by a stopped attempt");

        var (exit, output, status, _) = await RunAsync("compress-sigterm", "{layers: 2, hiddenSize: 64}", epochs: 6);

        Assert.True(exit == 0, output);
        var metrics = status.Steps![0].Metrics!;
        Assert.InRange(metrics["resumedFromStep"], 1, metrics["steps"] - 1);
    }

    [Fact]
    public async Task With_s3_output_a_stopped_distillation_resumes_on_a_fresh_machine_from_its_uploaded_checkpoint()
    {
        using var store = server.CreateStore();
        await store.PutAsync("README.txt", new MemoryStream("outputs of the compress s3 test"u8.ToArray()));  // creates the bucket
        var output = store.GetUri("out/").ToString();
        await StopDuringDistillationAsync(Start("compress-s3", "{layers: 2, hiddenSize: 64}", epochs: 6, output, work: "machine-1"));
        var uploaded = new List<string>();
        await foreach (var item in store.ListAsync("out/compress-s3/checkpoints/compress/"))
        {
            uploaded.Add(item.Key);
        }

        Assert.Contains(uploaded, key => key.Contains("/step0-distill-", StringComparison.Ordinal) && key.Contains("/checkpoint-", StringComparison.Ordinal));

        var directory = Path.Combine(_root, "compress-s3");
        using var again = Start("compress-s3", "{layers: 2, hiddenSize: 64}", epochs: 6, output, work: "machine-2");
        var exitCode = await again.WaitAsync(TimeSpan.FromMinutes(6));

        Assert.True(exitCode == 0, again.Output);
        var status = KubernetesJson.Deserialize<CompressionJobStatus>(File.ReadAllText(Path.Combine(directory, "status.json")));
        var metrics = status.Steps![0].Metrics!;
        Assert.InRange(metrics["resumedFromStep"], 1, metrics["steps"] - 1);
        Assert.True(await store.ExistsAsync("out/compress-s3/manifest.json"), again.Output);
    }

    private static async Task StopDuringDistillationAsync(WorkerProcess started)
    {
        using (var worker = started)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
            while (!worker.Output.Contains("step 0 distill: step ", StringComparison.Ordinal))
            {
                Assert.False(worker.HasExited, worker.Output);
                Assert.True(DateTime.UtcNow < deadline, worker.Output);
                await Task.Delay(200);
            }

            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var exitCode = await worker.WaitAsync(TimeSpan.FromMinutes(6));
            Assert.True(exitCode == 143, worker.Output);
        }
    }

    private async Task<(int ExitCode, string Output, CompressionJobStatus Status, WorkerTerminationMessage? Termination)> RunAsync(string name, string student, int epochs = 1)
    {
        var directory = Path.Combine(_root, name);
        var statusFile = Path.Combine(directory, "status.json");
        var terminationFile = Path.Combine(directory, "termination-log");
        using var worker = Start(name, student, epochs);
        var exitCode = await worker.WaitAsync(TimeSpan.FromMinutes(6));
        var status = File.Exists(statusFile) ? KubernetesJson.Deserialize<CompressionJobStatus>(File.ReadAllText(statusFile)) : new CompressionJobStatus();
        var termination = File.Exists(terminationFile) ? WorkerTerminationMessage.Parse(File.ReadAllText(terminationFile)) : null;
        return (exitCode, worker.Output, status, termination);
    }

    // The distill step's checkpoints: in place under the file:// output, <output>/<uid>/checkpoints/compress/step0-distill-<key>/.
    private string[] StepCheckpoints(string name)
    {
        var steps = Directory.GetDirectories(Path.Combine(_root, name, "out", name, "checkpoints", "compress"), "step0-distill-*");
        return [.. Assert.Single(steps) is var step ? Directory.GetDirectories(step, "checkpoint-*") : []];
    }

    private WorkerProcess Start(string name, string student, int epochs, string output = "file://out/", string work = "work")
    {
        var repository = RepositoryFiles.Root;
        var directory = Path.Combine(_root, name);
        Directory.CreateDirectory(directory);
        // 120 shipped chats (about 90 training examples after cleaning and the split) and 40 questions keep the run short.
        File.WriteAllLines(Path.Combine(directory, "chats.jsonl"), File.ReadLines(Path.Combine(repository, "examples", "datasets", "support-chat.jsonl")).Take(120));
        File.WriteAllLines(Path.Combine(directory, "questions.jsonl"), File.ReadLines(Path.Combine(repository, "examples", "datasets", "support-multiple-choice.jsonl")).Take(40));
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
                - distill:
                    student: {student}
                    dataset: {"{"}uri: file://chats.jsonl, format: chat{"}"}
                    temperature: 2.0
                    alpha: 0.5
                    epochs: {epochs}
                    learningRate: 0.003
                - quantize: {"{"}type: int8, mode: dynamic{"}"}
                - convert: {"{"}format: onnx{"}"}
              evaluationDataset:
                uri: file://questions.jsonl
                format: multipleChoice
              alignment:
                maxAccuracyDrop: 1
                minCosineSimilarity: 0
              output:
                uri: {output}
            """));
        var statusFile = Path.Combine(directory, "status.json");
        var terminationFile = Path.Combine(directory, "termination-log");
        File.Delete(terminationFile);
        return new WorkerProcess(
            ["compress", "--task", task, "--status-file", statusFile, "--work-dir", Path.Combine(directory, work)],
            new Dictionary<string, string>
            {
                [WorkerEnvironmentVariables.TerminationMessagePath] = terminationFile,
                ["WHETSTONE_S3_ENDPOINT"] = server.Options().Endpoint!,
                ["WHETSTONE_S3_ACCESS_KEY"] = "S3RVER",
                ["WHETSTONE_S3_SECRET_KEY"] = "S3RVER",
            });
    }
}
