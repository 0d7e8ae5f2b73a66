using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.EndToEnd;

/// <summary>
/// A real LoRA fine-tune through the whole embedded default, driven with kubectl as a user would: apply the example's
/// YAML, wait for Succeeded, read the status and check the published artifacts against their digests.
/// </summary>
public sealed class FineTuneJobEndToEndTest(RealWorkerFixture cluster) : IClassFixture<RealWorkerFixture>
{
    [Fact]
    public async Task A_LoRA_job_applied_with_kubectl_succeeds_and_its_model_matches_the_published_digests()
    {
        var manifest = await PrepareExampleAsync("support-lora", checkpointEverySteps: 50);
        await cluster.Kubectl.RunOkAsync("apply -f -", manifest);
        await cluster.Kubectl.RunOkAsync("wait ftj/support-lora --for=condition=Succeeded --timeout=300s", timeout: TimeSpan.FromSeconds(320));

        var table = await cluster.Kubectl.RunOkAsync("get ftj support-lora");
        Assert.Contains("Succeeded", table);
        Assert.Contains("VAL-LOSS", table);
        var describe = await cluster.Kubectl.RunOkAsync("describe ftj support-lora");
        Assert.Contains("AttemptStarted", describe);

        var status = JsonNode.Parse(await cluster.Kubectl.RunOkAsync("get ftj support-lora -o json"))!["status"]!;
        var history = status["lossHistory"]!.AsArray();
        Assert.True(history.Count >= 2, "a loss history is reported");
        var first = history[0]!["trainLoss"]!.GetValue<double>();
        var last = history[^1]!["trainLoss"]!.GetValue<double>();
        Assert.True(last < first, $"training loss falls ({first} -> {last})");

        var modelUri = new Uri(status["artifacts"]!["model"]!["uri"]!.GetValue<string>());
        var manifestPath = Path.Combine(modelUri.LocalPath, "manifest.json");
        Assert.Equal(status["artifacts"]!["model"]!["digest"]!.GetValue<string>(), Sha256(manifestPath));
        foreach (var file in JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!["files"]!.AsArray())
        {
            Assert.Equal(file!["digest"]!.GetValue<string>(), Sha256(Path.Combine(modelUri.LocalPath, file["path"]!.GetValue<string>())));
        }
    }

    [Fact]
    public async Task A_worker_stopped_mid_run_is_replaced_and_the_next_attempt_resumes_from_its_checkpoint()
    {
        var manifest = await PrepareExampleAsync("support-resume", checkpointEverySteps: 4);
        await cluster.Kubectl.RunOkAsync("apply -f -", manifest);
        await Eventually.TrueAsync(async () =>
        {
            var (_, step) = await cluster.Kubectl.RunAsync("get ftj support-resume -o jsonpath={.status.progress.step}");
            return long.TryParse(step.Trim(), out var n) && n >= 6;
        }, "the first attempt passes its first checkpoint", TimeSpan.FromSeconds(240));

        await cluster.Kubectl.RunOkAsync("delete pod support-resume-worker-1 --wait=false");
        await cluster.Kubectl.RunOkAsync("wait ftj/support-resume --for=condition=Succeeded --timeout=300s", timeout: TimeSpan.FromSeconds(320));

        var attempts = await cluster.Kubectl.RunOkAsync("get ftj support-resume -o jsonpath={.status.attempts}");
        Assert.Equal("2", attempts.Trim());
        var logs = await cluster.Kubectl.RunOkAsync("logs support-resume-worker-2");
        Assert.Contains("resuming from checkpoint", logs, StringComparison.Ordinal);
    }

    private Task<string> PrepareExampleAsync(string name, int checkpointEverySteps) => ExampleJob.PrepareAsync(
        cluster.DataDirectory, name, records: 160, ("epochs: 5", "epochs: 2"), ("checkpointEverySteps: 50", $"checkpointEverySteps: {checkpointEverySteps}"));

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
