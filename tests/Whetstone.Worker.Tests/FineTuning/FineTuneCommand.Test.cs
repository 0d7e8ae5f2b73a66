using System.Security.Cryptography;
using System.Text.Json;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// whetstone-worker finetune end to end, as a child process on the committed tiny base model: success with stored
/// artifacts, the failure contract (termination message reasons), and resume after a kill.
/// </summary>
public sealed class FineTuneCommandTest
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    private static string Sha256Of(string path) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Standalone_lora_run_succeeds_stores_artifacts_with_matching_digests_and_lowers_validation_loss()
    {
        using var scenario = new FineTuneScenario();
        scenario.WriteTask();
        using var worker = scenario.Start(new Dictionary<string, string> { ["WHETSTONE_PROGRESS_INTERVAL_SECONDS"] = "0.5" });

        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.True(exitCode == 0, worker.Output);
        Assert.False(File.Exists(scenario.TerminationPath));
        // Timed progress lines in the log (every 0.5 s here), beside the bar's 25/50/75 % lines.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(worker.Output,
            @"(?m)^step \d+/\d+ \(\d+%\), epoch \d+: loss \d+\.\d{4}, val (-|\d+\.\d{4}), ETA \d+(h|m|s)\S*, \d+ tokens/s$"), worker.Output);
        using var status = scenario.ReadJson(scenario.StatusPath);
        var root = status.RootElement;
        Assert.False(root.TryGetProperty("phase", out _), "the worker never writes phase");
        Assert.False(root.TryGetProperty("conditions", out _), "the worker never writes conditions");
        Assert.Equal(100, root.GetProperty("progress").GetProperty("percent").GetInt32());

        var validation = root.GetProperty("lossHistory").EnumerateArray()
            .Where(p => p.TryGetProperty("validationLoss", out _)).Select(p => p.GetProperty("validationLoss").GetDouble()).ToList();
        Assert.True(validation.Count >= 2, worker.Output);
        Assert.True(validation[^1] < validation[0], $"validation loss {string.Join(", ", validation)}");
        // The base model's loss on the same split, measured before training: fine-tuning must have lowered it.
        var baseValidationLoss = root.GetProperty("metrics").GetProperty("baseValidationLoss").GetDouble();
        Assert.True(validation[^1] < baseValidationLoss && validation[0] < baseValidationLoss, $"base {baseValidationLoss}, validation loss {string.Join(", ", validation)}");
        Assert.All(validation.Append(baseValidationLoss), loss => Assert.Equal(Math.Round(loss, 4), loss)); // status shows 4 decimals
        Assert.True(root.GetProperty("lossHistory").GetArrayLength() <= 100);

        var dataset = root.GetProperty("dataset");
        Assert.Equal(60, dataset.GetProperty("records").GetProperty("input").GetInt64());
        Assert.Equal(Sha256Of(scenario.DatasetPath), dataset.GetProperty("sourceDigest").GetString());
        Assert.True(root.GetProperty("cost").GetProperty("estimatedGpuSeconds").GetDouble() > 0);

        var artifacts = root.GetProperty("artifacts");
        var job = scenario.JobFolder;
        Assert.Equal(Sha256Of(Path.Combine(job, "adapter", "adapter_model.safetensors")), artifacts.GetProperty("adapter").GetProperty("digest").GetString());
        Assert.Equal(Sha256Of(Path.Combine(job, "model", "manifest.json")), artifacts.GetProperty("model").GetProperty("digest").GetString());
        Assert.Equal(Sha256Of(Path.Combine(job, "loss-curve.json")), artifacts.GetProperty("lossCurve").GetProperty("digest").GetString());
        Assert.Equal(Sha256Of(Path.Combine(job, "test.jsonl")), artifacts.GetProperty("testSplit").GetProperty("digest").GetString());
        var preparedDigest = dataset.GetProperty("digest").GetString()!;
        Assert.Equal(preparedDigest, artifacts.GetProperty("dataset").GetProperty("digest").GetString());
        Assert.Equal(preparedDigest, Sha256Of(Path.Combine(scenario.OutputDirectory, "datasets", "sha256-" + preparedDigest["sha256:".Length..], "manifest.json")));
        foreach (var file in new[] { "adapter/adapter_config.json", "model/config.json", "model/model.safetensors", "model/tokenizer.json", "loss-curve.png", "manifest.json" })
        {
            Assert.True(File.Exists(Path.Combine(job, file)), $"{file} missing");
        }

        // The merged model is a base model again: the next job can start from it.
        using var manifest = scenario.ReadJson(Path.Combine(job, "manifest.json"));
        Assert.Equal("LoRA", manifest.RootElement.GetProperty("method").GetString());
        AssertMergedModelEqualsBasePlusAdapter(Path.Combine(job, "model"), Path.Combine(job, "adapter"));
    }

    // Loaded back as a plain model, the merged weights score exactly as the base model with the published adapter
    // injected, and differently from the base model alone (the adapter learned something and the merge kept it).
    private static void AssertMergedModelEqualsBasePlusAdapter(string mergedDirectory, string adapterDirectory)
    {
        const string Context = "Question: How do I reset my password?\nAnswer:";
        const string Continuation = " Open the account page and choose reset.";
        using var merged = Whetstone.ML.Models.LanguageModel.Load(mergedDirectory);
        using var adapted = Whetstone.ML.Models.LanguageModel.Load(FineTuneScenario.BaseModelDirectory);
        var baseScores = adapted.ScoreContinuation(Context, Continuation);
        var config = Whetstone.ML.Lora.PeftAdapterFiles.ReadConfig(adapterDirectory);
        var lora = Whetstone.ML.Lora.LoraInjector.Inject(adapted.Model, config.ToOptions());
        Whetstone.ML.Lora.PeftAdapterFiles.LoadInto(lora, adapterDirectory);
        adapted.Model.eval();
        merged.Model.eval();

        var mergedScores = merged.ScoreContinuation(Context, Continuation);
        var adapterScores = adapted.ScoreContinuation(Context, Continuation);

        Assert.Equal(adapterScores.Length, mergedScores.Length);
        for (var i = 0; i < mergedScores.Length; i++)
        {
            Assert.True(Math.Abs(mergedScores[i] - adapterScores[i]) < 1e-4, $"token {i}: merged {mergedScores[i]}, base + adapter {adapterScores[i]}");
        }

        Assert.True(mergedScores.Zip(baseScores).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the merged model scores exactly as the base model: the adapter was lost");
    }

    [Fact]
    public async Task Malformed_dataset_line_fails_with_DatasetInvalid_naming_file_and_line()
    {
        using var scenario = new FineTuneScenario(records: 20);
        var lines = File.ReadAllLines(scenario.DatasetPath).ToList();
        lines[2] = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}";
        File.WriteAllLines(scenario.DatasetPath, lines);
        scenario.WriteTask();
        using var worker = scenario.Start();

        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.Equal(1, exitCode);
        using var message = scenario.ReadJson(scenario.TerminationPath);
        Assert.Equal("DatasetInvalid", message.RootElement.GetProperty("reason").GetString());
        Assert.Contains("data.jsonl:3", message.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_progress_interval_that_is_not_a_number_fails_the_attempt_naming_the_variable()
    {
        using var scenario = new FineTuneScenario(records: 20);
        scenario.WriteTask();
        using var worker = scenario.Start(new Dictionary<string, string> { ["WHETSTONE_PROGRESS_INTERVAL_SECONDS"] = "30s" });

        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.True(exitCode == 1, worker.Output);
        using var message = scenario.ReadJson(scenario.TerminationPath);
        Assert.Equal("WorkerFailed", message.RootElement.GetProperty("reason").GetString());
        Assert.Equal("WHETSTONE_PROGRESS_INTERVAL_SECONDS: '30s' is not a positive number of seconds", message.RootElement.GetProperty("message").GetString());
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Huge_learning_rate_fails_the_job_with_reason_Diverged()
    {
        using var scenario = new FineTuneScenario(records: 40);
        scenario.WriteTask(method: "Full", learningRate: 0.9, epochs: 3, maxLossIncrease: 1.5, maxGradNorm: 0, schedule: "constant");
        using var worker = scenario.Start();

        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.True(exitCode == 1, worker.Output);
        using var message = scenario.ReadJson(scenario.TerminationPath);
        Assert.Equal("Diverged", message.RootElement.GetProperty("reason").GetString());
        Assert.False(File.Exists(Path.Combine(scenario.JobFolder, "model", "manifest.json")), "a diverged run stores no model");
    }

    [Fact]
    public async Task Killed_worker_resumes_from_its_latest_checkpoint_and_finishes()
    {
        using var scenario = new FineTuneScenario();
        scenario.WriteTask(epochs: 3, checkpointEverySteps: 2);
        var checkpoints = Path.Combine(scenario.JobFolder, "checkpoints");
        using (var first = scenario.Start())
        {
            var deadline = DateTime.UtcNow + RunTimeout;
            while (!(Directory.Exists(checkpoints) && Directory.GetDirectories(checkpoints, "checkpoint-*", SearchOption.AllDirectories).Length > 0))
            {
                Assert.False(first.HasExited, $"the worker ended before its first checkpoint:\n{first.Output}");
                Assert.True(DateTime.UtcNow < deadline, first.Output);
                await Task.Delay(200);
            }

            first.Kill();
            await first.WaitAsync(RunTimeout);
        }

        Assert.False(File.Exists(Path.Combine(scenario.JobFolder, "model", "manifest.json")));
        using var second = scenario.Start();
        var exitCode = await second.WaitAsync(RunTimeout);

        Assert.True(exitCode == 0, second.Output);
        Assert.Contains("resuming from checkpoint", second.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(scenario.JobFolder, "model", "manifest.json")));
        using var status = scenario.ReadJson(scenario.StatusPath);
        var progress = status.RootElement.GetProperty("progress");
        Assert.Equal(progress.GetProperty("totalSteps").GetInt64(), progress.GetProperty("step").GetInt64());
    }
    [Fact]
    public async Task Sigterm_writes_a_checkpoint_and_exits_143()
    {
        using var scenario = new FineTuneScenario();
        scenario.WriteTask(epochs: 30, checkpointEverySteps: 1000);
        using var worker = scenario.Start();
        var deadline = DateTime.UtcNow + RunTimeout;
        while (!(File.Exists(scenario.StatusPath) && File.ReadAllText(scenario.StatusPath).Contains("\"progress\"", StringComparison.Ordinal)))
        {
            Assert.False(worker.HasExited, worker.Output);
            Assert.True(DateTime.UtcNow < deadline, worker.Output);
            await Task.Delay(200);
        }

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var exitCode = await worker.WaitAsync(RunTimeout);

        Assert.True(exitCode == 143, worker.Output);
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(scenario.JobFolder, "checkpoints"), "checkpoint-*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(scenario.JobFolder, "model", "manifest.json")));
    }

    [Fact]
    public async Task An_attempt_started_while_the_previous_one_still_stops_resumes_from_its_sigterm_checkpoint()
    {
        // The local node removes a Pod at once and stops its process in the background (SIGTERM, then the grace
        // period), so the operator can start the next attempt while the previous one is still writing its SIGTERM
        // checkpoint. The next attempt must wait for it rather than start from scratch.
        using var scenario = new FineTuneScenario();
        scenario.WriteTask(epochs: 30, checkpointEverySteps: 1000);
        using var first = scenario.Start();
        await WaitUntilAsync(first, () => File.Exists(scenario.StatusPath) && File.ReadAllText(scenario.StatusPath).Contains("\"progress\"", StringComparison.Ordinal));

        using var second = scenario.Start();
        await WaitUntilAsync(second, () => second.Output.Contains("training LoRA", StringComparison.Ordinal) || second.Output.Contains("waiting for", StringComparison.Ordinal));
        await SignalAsync(first, "TERM");
        Assert.True(await first.WaitAsync(RunTimeout) == 143, first.Output);

        await WaitUntilAsync(second, () => second.Output.Contains("training LoRA", StringComparison.Ordinal));
        Assert.Contains("resuming from checkpoint", second.Output, StringComparison.Ordinal);
        second.Kill();
    }

    private static async Task WaitUntilAsync(WorkerProcess worker, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (!condition())
        {
            Assert.False(worker.HasExited, worker.Output);
            Assert.True(DateTime.UtcNow < deadline, worker.Output);
            await Task.Delay(100);
        }
    }

    private static async Task SignalAsync(WorkerProcess worker, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    [Fact]
    public async Task A_spec_edit_starts_training_afresh_and_publishes_under_the_new_generation()
    {
        using var scenario = new FineTuneScenario();
        scenario.WriteTask(epochs: 30, checkpointEverySteps: 1000, generation: 1);
        using (var first = scenario.Start())
        {
            await WaitUntilAsync(first, () => File.Exists(scenario.StatusPath) && File.ReadAllText(scenario.StatusPath).Contains("\"progress\"", StringComparison.Ordinal));
            await SignalAsync(first, "TERM");
            Assert.True(await first.WaitAsync(RunTimeout) == 143, first.Output);
        }

        // The edit changes the plan (epochs) and the optimizer (learning rate): generation 1's checkpoint fits neither.
        scenario.WriteTask(epochs: 2, learningRate: 3e-3, checkpointEverySteps: 1000, generation: 2);
        using var second = scenario.Start();
        var exitCode = await second.WaitAsync(RunTimeout);

        Assert.True(exitCode == 0, second.Output);
        Assert.DoesNotContain("resuming from checkpoint", second.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(scenario.JobFolder, "g2", "model", "manifest.json")), second.Output);
        Assert.True(File.Exists(Path.Combine(scenario.JobFolder, "g1", "test.jsonl")));
        Assert.True(File.Exists(Path.Combine(scenario.JobFolder, "g2", "test.jsonl")));
        using var status = scenario.ReadJson(scenario.StatusPath);
        var artifacts = status.RootElement.GetProperty("artifacts");
        Assert.Equal(2, artifacts.GetProperty("generation").GetInt64());
        Assert.Contains("/test-job/g2/model/", artifacts.GetProperty("model").GetProperty("uri").GetString(), StringComparison.Ordinal);
    }
}
