using System.Diagnostics;
using System.Text.Json.Nodes;
using Whetstone.Cli.Kube;
using Whetstone.Cli.Report;

namespace Whetstone.Cli.Tests.Commands;

/// <summary><c>whetstone report</c>'s text, checked against what it replaces (scripts/ftj-summary.py) and for each kind.</summary>
public sealed class StatusReportTest
{
    private const string FinishedFineTune = """
        {"metadata": {"name": "support-lora"},
         "status": {"phase": "Succeeded", "message": "done",
           "conditions": [{"type": "Ready", "status": "True", "reason": "Succeeded"}],
           "metrics": {"trainLoss": 0.812, "validationLoss": 0.9134, "baseValidationLoss": 2.4051, "bestValidationLoss": 0.9012,
                       "bestStep": 180, "testAccuracy": 0.47, "baseTestAccuracy": 0.11},
           "lossHistory": [{"step": 10, "epoch": 0, "trainLoss": 2.5}, {"step": 20, "trainLoss": 2.1, "validationLoss": 2.2}],
           "artifacts": {"model": {"uri": "file:///s/models/support-lora/u/model/", "digest": "sha256:0123456789abcdef0123"},
                         "lossCurve": {"uri": "file:///s/models/support-lora/u/loss.json", "digest": "sha256:fedcba9876543210fedc"}},
           "dataset": {"digest": "sha256:aaaabbbbccccddddeeee", "records": {"input": 600, "train": 422, "validation": 53, "test": 53},
                       "dropped": {"empty": 12, "duplicate": 30, "blocked": 0}, "redactions": {"email": 5, "phone": 13}},
           "cost": {"estimatedGpuSeconds": 0, "gpuSeconds": 0, "estimatedCost": 0, "cost": 0}}}
        """;

    [Fact]
    public async Task A_fine_tune_report_prints_what_ftj_summary_py_printed()
    {
        var lines = StatusReport.Lines(WhetstoneKind.FineTuneJob, JsonNode.Parse(FinishedFineTune)!.AsObject());

        var script = await RunPythonSummaryAsync(FinishedFineTune);
        Assert.Equal("FineTuneJob support-lora: Succeeded (Succeeded): done", lines[0]);
        Assert.Equal(script.TrimEnd('\n').Split('\n'), lines.Skip(2));
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

    private static async Task<string> RunPythonSummaryAsync(string json)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryRoot.Combine("scripts", "ftj-summary.py"));
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(json);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
