using System.Text.Json.Nodes;
using Whetstone.Cli.Kube;
using Whetstone.Cli.Report;

namespace Whetstone.Cli.Tests.Commands;

/// <summary><c>whetstone report</c>'s text, checked for each kind against statuses whose figures the test writes out.</summary>
public sealed class StatusReportTest
{
    /// <summary>
    /// The status the operator and worker wrote for the demo's FineTuneJob (recorded from the demo run of
    /// 2026-12-04, managed fields left out); the figures below are copied from it by hand.
    /// </summary>
    private static readonly string RecordedFineTune = File.ReadAllText(
        RepositoryRoot.Combine("tests", "Whetstone.Cli.Tests", "Commands", "Fixtures", "support-lora-succeeded.json"));

    [Fact]
    public void A_fine_tune_report_prints_the_recorded_status_line_by_line()
    {
        const string Output = "file:///work/main/.whetstone/demo/store/models/support-lora/4949bb91-f895-4065-acda-43774356c790/g1/";

        var lines = StatusReport.Lines(WhetstoneKind.FineTuneJob, JsonNode.Parse(RecordedFineTune)!.AsObject());

        string[] expected =
        [
            "FineTuneJob support-lora: Succeeded (Succeeded): the fine-tune finished",
            "",
            $"Fine-tuned model: {Output}model/  (sha256:20980f6e5427…)",
            $"LoRA adapter:     {Output}adapter/  (sha256:488c47d4a2d4…)",
            $"Loss curve:       {Output}loss-curve.json  (sha256:47fc0e20b61b…)",
            $"Test split:       {Output}test.jsonl  (sha256:664996967ae7…)",
            $"Loss chart:       {Output}loss-curve.png",
            "",
            "                   before    after",
            "validation loss     7.657    1.717   before: the base model; best 1.717 at step 88",
            "test accuracy       0.636    0.977   multiple choice on the held-out test split",
            "train loss          9.199    1.362   before: step 1",
            "",
            "Dataset sha256:fd62b465acea…: 479 records in, 352/44/44 train/validation/test",
            "  dropped: empty 8, duplicate 14, nearDuplicate 10, blocked 7; redacted: none",
            "Cost: estimated 0.0048 GPU-seconds ($3.34e-06), measured 0 GPU-seconds ($0); a CPU-only job uses none",
        ];
        for (var i = 0; i < Math.Max(expected.Length, lines.Count); i++)
        {
            Assert.True(i < lines.Count && i < expected.Length && lines[i] == expected[i],
                $"line {i + 1}: expected \"{(i < expected.Length ? expected[i] : "(none)")}\", got \"{(i < lines.Count ? lines[i] : "(none)")}\"");
        }
    }

    [Fact]
    public void A_fine_tune_without_a_base_model_loss_compares_with_its_first_evaluation()
    {
        var job = JsonNode.Parse(RecordedFineTune)!.AsObject();
        job["status"]!["metrics"]!.AsObject().Remove("baseValidationLoss");

        var lines = StatusReport.Lines(WhetstoneKind.FineTuneJob, job);

        Assert.Contains("validation loss     4.387    1.717   before: first evaluation (step 8); best 1.717 at step 88", lines);
    }

    [Fact]
    public void A_gpu_job_cost_prints_seconds_and_dollars_without_exponents()
    {
        var job = JsonNode.Parse(RecordedFineTune)!.AsObject();
        job["status"]!["cost"] = JsonNode.Parse("""{"estimatedGpuSeconds": 1800, "gpuSeconds": 1650.4, "estimatedCost": 1.25, "cost": 1.146}""");

        var lines = StatusReport.Lines(WhetstoneKind.FineTuneJob, job);

        Assert.Equal("Cost: estimated 1800 GPU-seconds ($1.25), measured 1650.4 GPU-seconds ($1.15); a CPU-only job uses none", lines[^1]);
    }

    [Fact]
    public void An_evaluation_report_lists_scores_against_the_baseline_and_each_gate()
    {
        var lines = StatusReport.Lines(WhetstoneKind.EvaluationRun, JsonNode.Parse("""
            {"metadata": {"name": "e"}, "status": {"phase": "Succeeded", "verdict": "Failed",
              "scores": [{"suite": "general", "metric": "accuracy", "value": 0.63, "baseline": 0.97, "delta": -0.35, "deltaLower": -0.39, "deltaUpper": -0.30}],
              "gates": [{"suite": "general", "metric": "accuracy", "passed": false, "message": "fell 0.35, more than 0.02"}]}}
            """)!.AsObject());

        Assert.Contains("Verdict: Failed", lines);
        Assert.Contains("general/accuracy" + new string(' ', 17) + "0.970     0.630    -0.350   -0.390 to -0.300", lines);
        Assert.Contains("  FAIL  general/accuracy: fell 0.35, more than 0.02", lines);
    }

    [Fact]
    public void Scores_on_the_clean_subset_are_labelled_as_such()
    {
        var lines = StatusReport.Lines(WhetstoneKind.EvaluationRun, JsonNode.Parse("""
            {"metadata": {"name": "e"}, "status": {"phase": "Succeeded", "verdict": "Passed",
              "scores": [{"suite": "domain", "metric": "accuracy", "value": 0.557, "baseline": 0.114, "delta": 0.443, "subset": "all"},
                         {"suite": "domain", "metric": "accuracy", "value": 0.558, "baseline": 0.116, "delta": 0.442, "subset": "clean"}]}}
            """)!.AsObject());

        Assert.Contains("domain/accuracy" + new string(' ', 18) + "0.114     0.557     0.443", lines);
        Assert.Contains("domain/accuracy (clean)" + new string(' ', 10) + "0.116     0.558     0.442", lines);
    }

    [Fact]
    public void A_rollout_report_prints_the_latest_measurement_of_each_metric()
    {
        var lines = StatusReport.Lines(WhetstoneKind.ModelRollout, JsonNode.Parse("""
            {"metadata": {"name": "r"}, "status": {"phase": "Promoted", "canaryWeight": 0, "currentStep": 4,
              "analysis": [{"metric": "error-rate", "verdict": "Inconclusive", "message": "empty"},
                           {"metric": "latency", "verdict": "Passed", "value": 0.1, "message": "fast"},
                           {"metric": "error-rate", "verdict": "Passed", "value": 0, "message": "no errors"}]}}
            """)!.AsObject());

        Assert.Contains("Analysis (3 measurements; the latest per metric):", lines);
        Assert.Equal(["  Passed       error-rate = 0.0000  no errors", "  Passed       latency = 0.1000  fast"], lines.Where(l => l.StartsWith("  Passed", StringComparison.Ordinal) || l.StartsWith("  Inconclusive", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_compression_report_shows_before_and_after_and_the_alignment()
    {
        var lines = StatusReport.Lines(WhetstoneKind.CompressionJob, JsonNode.Parse("""
            {"metadata": {"name": "c"}, "status": {"phase": "Succeeded", "results": {
              "original": {"sizeBytes": 3500000, "accuracy": 0.5}, "compressed": {"sizeBytes": 943000, "accuracy": 0.489},
              "compressionRatio": 3.71, "accuracyDrop": 0.011, "cosineSimilarity": 0.999, "aligned": true}}}
            """)!.AsObject());

        Assert.Contains("size (MB)                3.50        0.94", lines);
        Assert.Contains(lines, line => line.StartsWith("3.71× smaller", StringComparison.Ordinal) && line.EndsWith(": aligned", StringComparison.Ordinal));
    }
}
