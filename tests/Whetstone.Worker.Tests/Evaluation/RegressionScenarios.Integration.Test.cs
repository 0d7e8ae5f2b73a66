using System.Text.Json.Nodes;
using Whetstone.Worker.Tests.FineTuning;
using Xunit.Abstractions;

namespace Whetstone.Worker.Tests.Evaluation;

/// <summary>
/// The evaluation catches what went wrong upstream, with real models made by the worker's own commands: a model
/// pruned far too hard, and a full fine-tune at a high learning rate that forgot what the base model knew, each fail
/// their general-ability gate against the base model with the numbers in words, while LoRA on the same data passes.
/// </summary>
public sealed class RegressionScenariosIntegrationTest(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "whetstone-regression-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_95_percent_pruned_model_fails_its_general_ability_gate_with_the_numbers_in_words()
    {
        Directory.CreateDirectory(_root);
        var baseModel = new Uri(RepositoryFiles.Combine("examples/models/tiny-llama") + "/").AbsoluteUri;
        var supportQuestions = new Uri(RepositoryFiles.Combine("examples/datasets/support-multiple-choice.jsonl")).AbsoluteUri;

        // The alignment here is deliberately blind (any drop allowed), as a careless job would set it: the
        // evaluation is what must catch the damage.
        var compressTask = Path.Combine(_root, "prune.yaml");
        await File.WriteAllTextAsync(compressTask, $$"""
            apiVersion: whetstone.dev/v1alpha1
            kind: CompressionJob
            metadata: {name: pruned-95}
            spec:
              sourceModel: {uri: "{{baseModel}}"}
              steps:
                - prune: {method: magnitude, sparsity: 0.95}
              evaluationDataset: {uri: "{{supportQuestions}}", format: multipleChoice}
              alignment: {metric: accuracy, maxAccuracyDrop: 1, minCosineSimilarity: 0}
              output: {uri: "{{new Uri(Path.Combine(_root, "compressed") + "/").AbsoluteUri}}"}
            """);
        using (var compress = new WorkerProcess(["compress", "--task", compressTask, "--status-file", Path.Combine(_root, "compress-status.json"), "--work-dir", Path.Combine(_root, "compress-work")],
            new Dictionary<string, string> { ["WHETSTONE_TORCH_THREADS"] = "1" }))
        {
            Assert.True(await compress.WaitAsync(TimeSpan.FromMinutes(3)) == 0, compress.Output);
        }

        var general = new Uri(RepositoryFiles.Combine("examples/datasets/general-mc.jsonl")).AbsoluteUri;
        var (exit, log, status, _) = await EvaluateProcess.RunAsync(_root, $$"""
            apiVersion: whetstone.dev/v1alpha1
            kind: EvaluationRun
            metadata: {name: pruned-95-eval, generation: 1}
            spec:
              model: {uri: "file:compressed/pruned-95/model/", name: support-bot, version: 1.3.0-pruned95}
              baseline: {uri: "{{baseModel}}", name: support-bot, version: 1.2.0}
              suites:
                - {name: general, type: multipleChoice, dataset: {uri: "{{general}}"} }
              gates:
                - {suite: general, metric: accuracy, maxRegression: 0.02}
              output: {uri: "file:out/"}
            """, TimeSpan.FromMinutes(3));
        output.WriteLine(log);

        Assert.True(exit == 0, log);
        Assert.Equal("Failed", status!["verdict"]!.GetValue<string>());
        var gate = status["gates"]!.AsArray().Single()!;
        Assert.False(gate["passed"]!.GetValue<bool>());
        Assert.StartsWith("FAILED: general accuracy", gate["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var score = status["scores"]!.AsArray().Single(s => s!["suite"]!.GetValue<string>() == "general" && s["metric"]!.GetValue<string>() == "accuracy")!;
        var (value, baseline) = (score["value"]!.GetValue<double>(), score["baseline"]!.GetValue<double>());
        output.WriteLine($"general accuracy: pruned {value:0.###}, base {baseline:0.###}");
        Assert.True(baseline - value > 0.05, $"the pruned model lost {baseline - value:0.###} of general accuracy (base {baseline:0.###})");

        // The report says it in one sentence a person reads.
        var report = JsonNode.Parse(await File.ReadAllTextAsync(new Uri(status["report"]!["json"]!["uri"]!.GetValue<string>()).LocalPath))!;
        Assert.StartsWith("General ability regressed: accuracy on the general suite is", report["forgetting"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // Measured 2026-12-05 (one epoch, 15 steps, on the 229 training questions of the shipped 400): full at 1e-2 lifts
    // the held-out support questions from 10 to 42 of 88 and drops general accuracy 0.523 → 0.269; LoRA at 2e-3 lifts
    // them to 28 of 88 and keeps general accuracy at 0.521. (Full at 2e-3 lands on the gate's edge, −0.026.)
    [Fact]
    public async Task A_full_fine_tune_at_a_high_learning_rate_fails_the_forgetting_gate_while_LoRA_on_the_same_data_passes_it()
    {
        Directory.CreateDirectory(_root);
        var full = await FineTuneAsync("forget-full", "{type: Full}", learningRate: "1.0e-2");
        var lora = await FineTuneAsync("forget-lora", "{type: LoRA, lora: {rank: 8, alpha: 16, dropout: 0.0, targetModules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]}}", learningRate: "2.0e-3");

        var (fullVerdict, fullGate, fullForgetting) = await GeneralGateAsync(full, "full-eval");
        var (loraVerdict, loraGate, loraForgetting) = await GeneralGateAsync(lora, "lora-eval");
        output.WriteLine($"full: {fullGate}\n{fullForgetting}\nLoRA: {loraGate}\n{loraForgetting}");

        Assert.Equal(("Failed", "Passed"), (fullVerdict, loraVerdict));
        Assert.Matches(@"^FAILED: general accuracy regressed by 0\.[0-9]+ \(model 0\.[0-9]+, baseline 0\.[0-9]+", fullGate);
        Assert.StartsWith("General ability regressed", fullForgetting, StringComparison.Ordinal);
        Assert.StartsWith("General ability did not regress", loraForgetting, StringComparison.Ordinal);
    }

    // whetstone-worker finetune on the shipped 400 support questions (no replay of general questions), one epoch.
    private async Task<string> FineTuneAsync(string name, string method, string learningRate)
    {
        var task = Path.Combine(_root, name + ".yaml");
        await File.WriteAllTextAsync(task, $$"""
            apiVersion: whetstone.dev/v1alpha1
            kind: FineTuneJob
            metadata:
              name: {{name}}
            spec:
              baseModel: {uri: "{{new Uri(RepositoryFiles.Combine("examples/models/tiny-llama") + "/").AbsoluteUri}}"}
              dataset:
                uri: "{{new Uri(RepositoryFiles.Combine("examples/datasets/support-multiple-choice-400.jsonl")).AbsoluteUri}}"
                format: multipleChoice
                preprocessing: {dropEmpty: true, normalizeWhitespace: true, deduplicate: near, blockedTerms: [password]}
                split: {train: 0.65, validation: 0.1, test: 0.25, seed: 42}
              method: {{method}}
              hyperparameters: {epochs: 1, batchSize: 16, learningRate: {{learningRate}}, lrSchedule: cosine, warmupRatio: 0.0, maxSequenceLength: 256, precision: fp32, seed: 42}
              divergence: {maxLossIncrease: 10.0}
              checkpointEverySteps: 1000
              resources:
                gpu: {count: 0}
              output: {uri: "{{new Uri(Path.Combine(_root, "tuned") + "/").AbsoluteUri}}"}
            """);
        using var worker = new WorkerProcess(["finetune", "--task", task, "--status-file", Path.Combine(_root, name + "-status.json"), "--work-dir", Path.Combine(_root, name + "-work")],
            new Dictionary<string, string> { ["WHETSTONE_TORCH_THREADS"] = "1" });
        Assert.True(await worker.WaitAsync(TimeSpan.FromMinutes(5)) == 0, worker.Output);
        return Path.Combine(_root, "tuned", name, "model");
    }

    // The model against the base model on the whole general benchmark, gate maxRegression 0.02: verdict, the gate's
    // message, the report's forgetting sentence.
    private async Task<(string Verdict, string Gate, string Forgetting)> GeneralGateAsync(string model, string name)
    {
        var (exit, log, status, _) = await EvaluateProcess.RunAsync(_root, $$"""
            apiVersion: whetstone.dev/v1alpha1
            kind: EvaluationRun
            metadata:
              name: {{name}}
              generation: 1
            spec:
              model: {uri: "{{new Uri(model + "/").AbsoluteUri}}"}
              baseline: {uri: "{{new Uri(RepositoryFiles.Combine("examples/models/tiny-llama") + "/").AbsoluteUri}}"}
              suites:
                - {name: general, type: multipleChoice, dataset: {uri: "{{new Uri(RepositoryFiles.Combine("examples/datasets/general-mc.jsonl")).AbsoluteUri}}"} }
              gates:
                - {suite: general, metric: accuracy, maxRegression: 0.02}
              output: {uri: "file:{{name}}/"}
            """, TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, log);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(new Uri(status!["report"]!["json"]!["uri"]!.GetValue<string>()).LocalPath))!;
        return (status["verdict"]!.GetValue<string>(), status["gates"]![0]!["message"]!.GetValue<string>(), report["forgetting"]!.GetValue<string>());
    }
}
