using System.Text.Json.Nodes;
using Whetstone.Worker.Tests.FineTuning;

namespace Whetstone.Worker.Tests.Evaluation;

public sealed class EvaluateCommandTest : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "whetstone-evaluate-test-" + Guid.NewGuid().ToString("N"));

    public EvaluateCommandTest() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<(int Exit, string Output, JsonObject? Status, string? Termination)> EvaluateAsync(string task, TimeSpan timeout) =>
        EvaluateProcess.RunAsync(_root, task, timeout);

    [Fact]
    public async Task A_test_split_seeded_with_training_records_fails_Contaminated_before_scoring()
    {
        var general = File.ReadAllLines(RepositoryFiles.Combine("examples/datasets/general-mc.jsonl"));
        var training = Path.Combine(_root, "train.jsonl");
        var test = Path.Combine(_root, "test.jsonl");
        await File.WriteAllLinesAsync(training, general[..200]);
        await File.WriteAllLinesAsync(test, [.. general[300..330], .. general[10..15]]);
        var model = new Uri(RepositoryFiles.Combine("examples/models/tiny-llama") + "/").AbsoluteUri;

        var (exit, output, status, termination) = await EvaluateAsync($$"""
            apiVersion: whetstone.dev/v1alpha1
            kind: EvaluationRun
            metadata: {name: contaminated, generation: 1}
            spec:
              model: {uri: "{{model}}"}
              suites:
                - {name: domain, type: multipleChoice, dataset: {uri: "file:test.jsonl"} }
              contamination: {trainingDataset: {uri: "file:train.jsonl"}, maxOverlap: 0.01}
              output: {uri: "file:out/"}
            """, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exit);
        Assert.Contains("\"reason\":\"Contaminated\"", termination, StringComparison.Ordinal);
        Assert.Contains("5 of 35 test records", termination, StringComparison.Ordinal);
        Assert.Contains("suite domain record 31 duplicates training record 11", termination, StringComparison.Ordinal);
        Assert.Equal(5, status!["contamination"]!["overlapping"]!.GetValue<long>());
        Assert.Equal(5, status["contamination"]!["exactDuplicates"]!.GetValue<long>());
        Assert.Null(status["scores"]);
        Assert.DoesNotContain("items in", output, StringComparison.Ordinal); // "model: suite … scored N items in …" never printed
        Assert.False(Directory.Exists(Path.Combine(_root, "out")), "nothing is scored or reported");
    }

    [Fact]
    public async Task The_digits_classifier_is_gated_on_per_class_recall_against_a_weaker_baseline()
    {
        var digits = RepositoryFiles.Combine("examples/datasets/digits/digits.csv");
        foreach (var (name, epochs) in new[] { ("strong", 30), ("weak", 1) })
        {
            using var train = new WorkerProcess(["model", "train-classifier", "--data", digits, "--output", Path.Combine(_root, name), "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "1"], new Dictionary<string, string>());
            Assert.True(await train.WaitAsync(TimeSpan.FromSeconds(120)) == 0, train.Output);
        }

        var (exit, output, status, _) = await EvaluateAsync($$"""
            apiVersion: whetstone.dev/v1alpha1
            kind: EvaluationRun
            metadata: {name: digits, generation: 3}
            spec:
              model: {uri: "file:strong/", name: digits-mlp, version: "2", vendor: whetstone}
              baseline: {uri: "file:weak/", name: digits-mlp, version: "1", vendor: whetstone}
              suites:
                - {name: digits, type: classification, dataset: {uri: "{{new Uri(digits).AbsoluteUri}}"} }
              gates:
                - {suite: digits, metric: recall.8, min: 0.8}
                - {suite: digits, metric: f1, maxRegression: 0.0, decision: nonInferior}
                - {suite: digits, metric: recall.3, min: 0.999}
              output: {uri: "file:out/"}
            """, TimeSpan.FromSeconds(120));

        Assert.True(exit == 0, output);
        Assert.Equal("Failed", status!["verdict"]!.GetValue<string>());
        var gates = status["gates"]!.AsArray();
        Assert.True(gates[0]!["passed"]!.GetValue<bool>(), gates[0]!["message"]!.GetValue<string>());
        Assert.True(gates[1]!["passed"]!.GetValue<bool>(), gates[1]!["message"]!.GetValue<string>());
        Assert.False(gates[2]!["passed"]!.GetValue<bool>());
        Assert.StartsWith("FAILED: digits recall.3 is", gates[2]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var recall8 = status["scores"]!.AsArray().Single(s => s!["metric"]!.GetValue<string>() == "recall.8")!;
        Assert.True(recall8["value"]!.GetValue<double>() > recall8["baseline"]!.GetValue<double>());
        var report = status["report"]!.AsObject();
        Assert.Equal(3, report["generation"]!.GetValue<long>());
        var html = await File.ReadAllTextAsync(new Uri(report["html"]!["uri"]!.GetValue<string>()).LocalPath);
        Assert.Contains("confusion matrix", html, StringComparison.Ordinal);
        Assert.EndsWith("/digits/g3/report.html", report["html"]!["uri"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
