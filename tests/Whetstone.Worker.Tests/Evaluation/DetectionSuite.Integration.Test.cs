using System.Text.Json.Nodes;
using Whetstone.Worker.Tests.FineTuning;

namespace Whetstone.Worker.Tests.Evaluation;

// `whetstone-worker evaluate` on a detection suite: model and baseline folders hold predictions.jsonl (the
// predictions file convention). Expected values are worked out by hand from COCO's definitions.
public sealed class DetectionSuiteIntegrationTest : IDisposable
{
    // Three 640×480 images: cat 100×100, dog 50×50, cat 40×40.
    private static readonly string[] Truth =
    [
        """{"image": "img1", "width": 640, "height": 480, "boxes": [{"category": "cat", "bbox": [0, 0, 100, 100]}]}""",
        """{"image": "img2", "width": 640, "height": 480, "boxes": [{"category": "dog", "bbox": [10, 10, 50, 50]}]}""",
        """{"image": "img3", "width": 640, "height": 480, "boxes": [{"category": "cat", "bbox": [200, 200, 40, 40]}]}""",
    ];

    // Every object found exactly: AP 1 for both classes at every threshold → map = map50 = map75 = 1.
    private static readonly string[] Perfect =
    [
        """{"image": "img1", "width": 640, "height": 480, "boxes": [{"category": "cat", "bbox": [0, 0, 100, 100], "score": 0.9}]}""",
        """{"image": "img2", "width": 640, "height": 480, "boxes": [{"category": "dog", "bbox": [10, 10, 50, 50], "score": 0.8}]}""",
        """{"image": "img3", "width": 640, "height": 480, "boxes": [{"category": "cat", "bbox": [200, 200, 40, 40], "score": 0.7}]}""",
    ];

    // cat: img1 found at IoU 5800/10000 = 0.58, img3 missed. 2 cats: at 0.50 and 0.55 one TP → recall 1/2 at
    // precision 1 → points 0..0.50 (51) → AP 51/101; at 0.60..0.95 one FP → AP 0. cat AP = 2·(51/101)/10 = 10.2/101.
    // dog: exact → 1. map = (10.2/101 + 1)/2 = 55.6/101; map50 = (51/101 + 1)/2 = 76/101; map75 = (0 + 1)/2 = 0.5.
    private static readonly string[] Weaker =
    [
        """{"image": "img1", "width": 640, "height": 480, "boxes": [{"category": "cat", "bbox": [0, 0, 100, 58], "score": 0.9}]}""",
        """{"image": "img2", "width": 640, "height": 480, "boxes": [{"category": "dog", "bbox": [10, 10, 50, 50], "score": 0.8}]}""",
    ];

    private const string Gates = """
          gates:
            - {suite: boxes, metric: map, min: 0.9}
            - {suite: boxes, metric: map50, maxRegression: 0.0}
        """;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "whetstone-detection-test-" + Guid.NewGuid().ToString("N"));

    public DetectionSuiteIntegrationTest()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllLines(Path.Combine(_root, "truth.jsonl"), Truth);
        Directory.CreateDirectory(Path.Combine(_root, "perfect"));
        File.WriteAllLines(Path.Combine(_root, "perfect", "predictions.jsonl"), Perfect);
        Directory.CreateDirectory(Path.Combine(_root, "weaker"));
        File.WriteAllLines(Path.Combine(_root, "weaker", "predictions.jsonl"), Weaker);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Predictions_files_are_scored_with_map_against_the_baseline_and_gated()
    {
        var (exit, output, status, _) = await EvaluateAsync(Task("file:perfect/", "file:weaker/", Gates));

        Assert.True(exit == 0, output);
        Assert.Equal("Passed", status!["verdict"]!.GetValue<string>());
        var scores = status["scores"]!.AsArray();
        JsonNode Score(string metric) => scores.Single(s => s!["metric"]!.GetValue<string>() == metric && s["subset"]!.GetValue<string>() == "all")!;
        Assert.Equal(1.0, Score("map")["value"]!.GetValue<double>(), 1e-12);
        Assert.Equal(55.6 / 101, Score("map")["baseline"]!.GetValue<double>(), 1e-12);
        Assert.Equal(1 - (55.6 / 101), Score("map")["delta"]!.GetValue<double>(), 1e-12);
        Assert.Equal(76.0 / 101, Score("map50")["baseline"]!.GetValue<double>(), 1e-12);
        Assert.Equal(0.5, Score("map75")["baseline"]!.GetValue<double>(), 1e-12);
        Assert.Equal(3, Score("map")["samples"]!.GetValue<int>());
        Assert.All(status["gates"]!.AsArray(), g => Assert.True(g!["passed"]!.GetValue<bool>(), g["message"]!.GetValue<string>()));

        var report = JsonNode.Parse(await File.ReadAllTextAsync(new Uri(status["report"]!["json"]!["uri"]!.GetValue<string>()).LocalPath))!;
        var perClass = report["suites"]!["boxes"]!["perClass"]!.AsArray();
        Assert.Equal(["cat", "dog"], perClass.Select(c => c!["category"]!.GetValue<string>()));
        Assert.Equal(1.0, perClass[0]!["ap"]!.GetValue<double>(), 1e-12);
        var markdown = await File.ReadAllTextAsync(new Uri(status["report"]!["markdown"]!["uri"]!.GetValue<string>()).LocalPath);
        Assert.Contains("## boxes: average precision per class", markdown, StringComparison.Ordinal);
        Assert.Contains("| **dog** | 1 | 1 | 1 | 1 | 1 |", markdown, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(new Uri(status["report"]!["html"]!["uri"]!.GetValue<string>()).LocalPath);
        Assert.Contains("boxes: average precision per class", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weaker_model_fails_its_map_gates_with_the_numbers()
    {
        var (exit, output, status, _) = await EvaluateAsync(Task("file:weaker/", "file:perfect/", Gates));

        Assert.True(exit == 0, output);
        Assert.Equal("Failed", status!["verdict"]!.GetValue<string>());
        var gates = status["gates"]!.AsArray();
        Assert.False(gates[0]!["passed"]!.GetValue<bool>());
        Assert.Equal(55.6 / 101, gates[0]!["value"]!.GetValue<double>(), 1e-12);
        Assert.StartsWith("FAILED: boxes map is", gates[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(gates[1]!["passed"]!.GetValue<bool>(), "map50 regressed from 1 to 76/101");
    }

    [Fact]
    public async Task A_model_folder_without_predictions_is_refused_saying_onnx_detectors_are_not_run()
    {
        var tinyLlama = new Uri(RepositoryFiles.Combine("examples/models/tiny-llama") + "/").AbsoluteUri;

        var (exit, _, _, termination) = await EvaluateAsync(Task(tinyLlama, null, ""));

        Assert.Equal(1, exit);
        Assert.Contains("\"reason\":\"ModelInvalid\"", termination, StringComparison.Ordinal);
        Assert.Contains("has no predictions.jsonl", termination, StringComparison.Ordinal);
        Assert.Contains("ONNX detectors are not run yet", termination, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_ground_truth_record_fails_DatasetInvalid_naming_the_line_and_field()
    {
        File.AppendAllLines(Path.Combine(_root, "truth.jsonl"), ["""{"image": "img4", "width": 640, "height": 480, "boxes": [{"bbox": [1, 1, 5, 5]}]}"""]);

        var (exit, _, _, termination) = await EvaluateAsync(Task("file:perfect/", null, ""));

        Assert.Equal(1, exit);
        var message = JsonNode.Parse(termination!)!;
        Assert.Equal("DatasetInvalid", message["reason"]!.GetValue<string>());
        Assert.StartsWith("spec.suites[0].dataset: truth.jsonl:4: field 'boxes[0].category' must be a non-empty string", message["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_attempt_of_a_published_generation_keeps_the_published_report()
    {
        var (first, firstOutput, firstStatus, _) = await EvaluateAsync(Task("file:perfect/", "file:weaker/", Gates));
        Assert.True(first == 0, firstOutput);
        var reportPath = new Uri(firstStatus!["report"]!["json"]!["uri"]!.GetValue<string>()).LocalPath;
        var published = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(reportPath, published);

        var (second, secondOutput, secondStatus, _) = await EvaluateAsync(Task("file:perfect/", "file:weaker/", Gates));

        Assert.True(second == 0, secondOutput);
        Assert.Contains("was already published", secondOutput, StringComparison.Ordinal);
        Assert.Equal(published, File.GetLastWriteTimeUtc(reportPath));
        Assert.Equal(firstStatus["report"]!["json"]!["digest"]!.GetValue<string>(), secondStatus!["report"]!["json"]!["digest"]!.GetValue<string>());
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(reportPath)!, "manifest.json")))!;
        Assert.Equal("EvaluationRun", manifest["kind"]!.GetValue<string>());
        Assert.Equal("Passed", manifest["verdict"]!.GetValue<string>());
    }

    private static string Task(string model, string? baseline, string gates) => $$"""
        apiVersion: whetstone.dev/v1alpha1
        kind: EvaluationRun
        metadata: {name: detection, generation: 1}
        spec:
          model: {uri: "{{model}}", name: detector}
        {{(baseline is null ? "" : $"  baseline: {{uri: \"{baseline}\", name: detector}}")}}
          suites:
            - {name: boxes, type: detection, dataset: {uri: "file:truth.jsonl", format: detection} }
        {{gates}}
          output: {uri: "file:out/"}
        """;

    private Task<(int Exit, string Output, JsonObject? Status, string? Termination)> EvaluateAsync(string task) =>
        EvaluateProcess.RunAsync(_root, task, TimeSpan.FromSeconds(120));
}
