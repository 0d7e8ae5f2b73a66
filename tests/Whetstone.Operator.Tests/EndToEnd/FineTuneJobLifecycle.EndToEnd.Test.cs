using System.Text.Json.Nodes;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.EndToEnd;

/// <summary>
/// What a user does to a FineTuneJob besides waiting for it, with the real kubectl and the real worker: a run that
/// diverges, two jobs competing for the node's one GPU, suspend and resume, and delete while running.
/// </summary>
public sealed class FineTuneJobLifecycleEndToEndTest(RealWorkerFixture cluster) : IClassFixture<RealWorkerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    private Kubectl Kubectl => cluster.Kubectl;

    private async Task<string> JsonPathAsync(string name, string path) =>
        (await Kubectl.RunAsync($"get ftj {name} -o jsonpath={{{path}}}")).Output.Trim();

    private async Task WaitForPhaseAsync(string name, string phase)
    {
        var seen = "";
        try
        {
            await Eventually.TrueAsync(async () => (seen = await JsonPathAsync(name, ".status.phase")) == phase, $"{name} reaches {phase}", Patience);
        }
        catch (TimeoutException timeout)
        {
            // The phase and message last seen, and the job's events, say where it stopped.
            var described = (await Kubectl.RunAsync($"describe ftj {name}")).Output;
            throw new TimeoutException($"{timeout.Message}; last phase seen: '{seen}'\n{described}", timeout);
        }
    }

    private async Task WaitForStepAsync(string name, long step) => await Eventually.TrueAsync(
        async () => long.TryParse(await JsonPathAsync(name, ".status.progress.step"), out var n) && n >= step, $"{name} passes step {step}", Patience);

    [Fact]
    public async Task A_full_fine_tune_with_a_huge_learning_rate_fails_Diverged_with_the_step_and_is_not_retried()
    {
        var manifest = await ExampleJob.PrepareAsync(cluster.DataDirectory, "support-diverge", records: 80,
            ("type: LoRA", "type: Full"),
            ("    lora: {rank: 8, alpha: 16, dropout: 0.05, targetModules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]}\n", ""),
            ("learningRate: 5.0e-3", "learningRate: 0.9"),
            ("warmupRatio: 0.03", "warmupRatio: 0.0"));
        await Kubectl.RunOkAsync("apply -f -", manifest);

        await WaitForPhaseAsync("support-diverge", "Failed");
        var failed = JsonNode.Parse(await Kubectl.RunOkAsync("get ftj support-diverge -o json"))!["status"]!;
        var condition = failed["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Failed")!;
        Assert.Equal("Diverged", condition["reason"]!.GetValue<string>());
        Assert.Contains("step", condition["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
        Assert.Contains("Diverged", await Kubectl.RunOkAsync("describe ftj support-diverge"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_job_asking_for_the_only_gpu_waits_Queued_and_runs_when_the_first_finishes()
    {
        (string, string)[] gpu = [("gpu: {count: 0}", "gpu: {count: 1}"), ("epochs: 5", "epochs: 1")];
        await Kubectl.RunOkAsync("apply -f -", await ExampleJob.PrepareAsync(cluster.DataDirectory, "gpu-first", records: 160, gpu));
        await WaitForPhaseAsync("gpu-first", "Running");
        await Kubectl.RunOkAsync("apply -f -", await ExampleJob.PrepareAsync(cluster.DataDirectory, "gpu-second", records: 160, gpu));

        await WaitForPhaseAsync("gpu-second", "Queued");
        var message = await JsonPathAsync("gpu-second", ".status.message");
        Assert.Contains("nvidia.com/gpu", message, StringComparison.Ordinal);
        Assert.Contains("Queued", await Kubectl.RunOkAsync("get ftj gpu-second"), StringComparison.Ordinal);

        await WaitForPhaseAsync("gpu-first", "Succeeded");
        await WaitForPhaseAsync("gpu-second", "Succeeded");
        Assert.Equal("1", await JsonPathAsync("gpu-second", ".status.attempts"));
    }

    [Fact]
    public async Task Suspending_stops_the_worker_after_a_checkpoint_and_resuming_finishes_from_it()
    {
        // No periodic checkpoint before the run ends (every 50 steps, of 32): the only checkpoint is the one the worker
        // writes when SIGTERM stops it, so resuming from a checkpoint proves that one was written.
        var manifest = await ExampleJob.PrepareAsync(cluster.DataDirectory, "support-suspend", records: 160, ("epochs: 5", "epochs: 2"));
        await Kubectl.RunOkAsync("apply -f -", manifest);
        await WaitForStepAsync("support-suspend", 4);

        await Kubectl.RunOkAsync("""patch ftj support-suspend --type merge -p {\"spec\":{\"runPolicy\":{\"suspend\":true}}}""");
        await WaitForPhaseAsync("support-suspend", "Suspended");
        var suspendedAt = await JsonPathAsync("support-suspend", ".status.progress");
        await Eventually.TrueAsync(async () => (await Kubectl.RunOkAsync("get pods -o name")).Contains("support-suspend-worker-1", StringComparison.Ordinal) is false,
            "the suspended job's worker pod is gone", Patience);
        var table = await Kubectl.RunOkAsync("get ftj support-suspend");
        Assert.Contains("Suspended", table, StringComparison.Ordinal);
        foreach (var column in new[] { "PHASE", "PROGRESS", "LOSS", "VAL-LOSS", "AGE" })
        {
            Assert.Contains(column, table, StringComparison.Ordinal);
        }

        await Kubectl.RunOkAsync("""patch ftj support-suspend --type merge -p {\"spec\":{\"runPolicy\":{\"suspend\":false}}}""");
        await WaitForPhaseAsync("support-suspend", "Succeeded");
        var attempts = await JsonPathAsync("support-suspend", ".status.attempts");
        var events = (await Kubectl.RunAsync("get events --field-selector involvedObject.name=support-suspend --sort-by=.lastTimestamp")).Output;
        Assert.True(attempts == "2", $"attempts: {attempts}; progress when suspended: {suspendedAt}; events:\n{events}");
        var logs = await Kubectl.RunOkAsync("logs support-suspend-worker-2");
        Assert.True(logs.Contains("resuming from checkpoint", StringComparison.Ordinal), $"progress when suspended: {suspendedAt}; attempt 2 did not resume:\n{logs}");
    }

    [Fact]
    public async Task Deleting_a_running_job_stops_its_worker_and_keeps_what_it_already_published()
    {
        var manifest = await ExampleJob.PrepareAsync(cluster.DataDirectory, "support-delete", records: 160, ("epochs: 5", "epochs: 3"));
        await Kubectl.RunOkAsync("apply -f -", manifest);
        await WaitForStepAsync("support-delete", 2);
        var published = await JsonPathAsync("support-delete", ".status.artifacts.testSplit.uri");
        Assert.NotEqual("", published);

        await Kubectl.RunOkAsync("delete ftj support-delete --timeout=120s", timeout: TimeSpan.FromSeconds(150));
        await Eventually.TrueAsync(async () => !(await Kubectl.RunOkAsync("get pods -o name")).Contains("support-delete-worker", StringComparison.Ordinal),
            "the deleted job's worker pod is gone", Patience);
        Assert.True(File.Exists(new Uri(published).LocalPath), $"{published} is kept after the job is deleted");
        Assert.NotEmpty(Directory.GetDirectories(Path.Combine(ExampleJob.OutputDirectory(cluster.DataDirectory, "support-delete"), "datasets")));
    }
}
