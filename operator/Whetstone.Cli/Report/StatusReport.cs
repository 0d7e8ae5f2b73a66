using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Report;

/// <summary>
/// The summary of one object, from its status alone: a FineTuneJob's artifacts, before/after losses and accuracy,
/// dataset counts and cost; a CompressionJob's original/compressed measurements and alignment; an EvaluationRun's
/// scores against the baseline, gates and contamination; a ModelRollout's versions, weight and analysis.
/// </summary>
internal static class StatusReport
{
    /// <summary>The report's lines.</summary>
    public static IReadOnlyList<string> Lines(WhetstoneKind kind, JsonObject item)
    {
        var summary = ObjectSummary.From(kind, item);
        var status = item["status"] as JsonObject ?? [];
        var lines = new List<string>
        {
            $"{kind.Kind} {summary.Name}: {summary.Phase} ({summary.Reason}){(summary.Message.Length > 0 ? ": " + summary.Message : "")}",
            "",
        };
        switch (kind.Kind)
        {
            case Kinds.FineTuneJob:
                FineTuneReport.Append(lines, status);
                break;
            case Kinds.CompressionJob:
                Compression(lines, status);
                break;
            case Kinds.EvaluationRun:
                Evaluation(lines, status);
                break;
            default:
                Rollout(lines, status);
                break;
        }

        if (kind.IsWorkerJob)
        {
            Cost(lines, status["cost"] as JsonObject);
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>A number with <paramref name="digits"/> decimals, or <c>-</c>.</summary>
    internal static string Format(double? value, int digits = 3) =>
        value is { } v ? v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";

    /// <summary>
    /// A cost figure: up to two decimals from 1 up (<c>1800</c>, <c>1.15</c>), three significant digits below
    /// (<c>0.0048</c>, <c>3.34e-06</c>: a CPU job's estimate would otherwise print as 0).
    /// </summary>
    internal static string Significant(double value) =>
        value == 0 ? "0"
        : Math.Abs(value) >= 1 ? value.ToString("0.##", CultureInfo.InvariantCulture)
        : value.ToString("G3", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);

    internal static double? Number(JsonNode? node) => ObjectSummary.Number(node);

    internal static string? Text(JsonNode? node) => ObjectSummary.Text(node);

    /// <summary><c>Label:   uri  (sha256:0123456789ab…)</c> for each artifact present.</summary>
    internal static int Artifacts(List<string> lines, JsonObject? artifacts, params (string Label, string Key)[] which)
    {
        var count = 0;
        foreach (var (label, key) in which)
        {
            if (artifacts?[key] is JsonObject artifact && Text(artifact["uri"]) is { } uri)
            {
                var digest = Text(artifact["digest"]);
                lines.Add($"{label + ":",-18}{uri}{(digest is null ? "" : $"  ({digest[..Math.Min(19, digest.Length)]}…)")}");
                count++;
            }
        }

        return count;
    }

    private static void Compression(List<string> lines, JsonObject status)
    {
        if (Artifacts(lines, status["artifacts"] as JsonObject, ("Compressed model", "model"), ("Report", "report"), ("Report (Markdown)", "reportMarkdown"), ("Chart", "chart")) > 0)
        {
            lines.Add("");
        }

        var results = status["results"] as JsonObject;
        var original = results?["original"] as JsonObject;
        var compressed = results?["compressed"] as JsonObject;
        lines.Add($"{"",-17}{"before",12}{"after",12}");
        lines.Add($"{"size (MB)",-17}{Format(Number(original?["sizeBytes"]) / 1e6, 2),12}{Format(Number(compressed?["sizeBytes"]) / 1e6, 2),12}");
        lines.Add($"{"parameters",-17}{Format(Number(original?["parameters"]), 0),12}{Format(Number(compressed?["parameters"]), 0),12}");
        lines.Add($"{"accuracy",-17}{Format(Number(original?["accuracy"])),12}{Format(Number(compressed?["accuracy"])),12}");
        lines.Add($"{"perplexity",-17}{Format(Number(original?["perplexity"])),12}{Format(Number(compressed?["perplexity"])),12}");
        lines.Add("");
        var aligned = results?["aligned"] is JsonValue a && a.TryGetValue<bool>(out var isAligned) ? (isAligned ? "aligned" : "NOT aligned") : "alignment not measured";
        lines.Add($"{Format(Number(results?["compressionRatio"]), 2)}× smaller, speedup {Format(Number(results?["speedup"]), 2)}×, "
            + $"accuracy drop {Format(Number(results?["accuracyDrop"]))}, logits cosine {Format(Number(results?["cosineSimilarity"]))}, "
            + $"top-1 agreement {Format(Number(results?["topOneAgreement"]))}: {aligned}");
        if (results?["layersKeptInFloat"] is JsonArray kept && kept.Count > 0)
        {
            lines.Add($"Layers kept in FP32: {string.Join(", ", kept.Select(Text))}");
        }

        foreach (var step in (status["steps"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var metrics = (step["metrics"] as JsonObject ?? []).Select(m => $"{m.Key} {Format(Number(m.Value))}");
            lines.Add($"  step {Text(step["name"])}: {Text(step["phase"])}  {string.Join(", ", metrics)}  {Text(step["message"])}".TrimEnd());
        }

        lines.Add("");
    }

    private static void Evaluation(List<string> lines, JsonObject status)
    {
        var report = status["report"] as JsonObject;
        if (Artifacts(lines, report, ("Report (HTML)", "html"), ("Report (JSON)", "json"), ("Report (Markdown)", "markdown"), ("Per-item results", "items")) > 0)
        {
            lines.Add("");
        }

        lines.Add($"Verdict: {Text(status["verdict"]) ?? "-"}");
        lines.Add($"{"suite/metric",-28}{"baseline",10}{"model",10}{"change",10}   95% CI of the change");
        foreach (var score in (status["scores"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var interval = Number(score["deltaLower"]) is { } low && Number(score["deltaUpper"]) is { } high ? $"{Format(low)} to {Format(high)}" : "";
            // Scores on the clean subset (contaminated items left out) repeat the suite and metric: say which they are.
            var subset = Text(score["subset"]) is "clean" ? " (clean)" : "";
            lines.Add($"{$"{Text(score["suite"])}/{Text(score["metric"])}{subset}",-28}{Format(Number(score["baseline"])),10}{Format(Number(score["value"])),10}{Format(Number(score["delta"])),10}   {interval}".TrimEnd());
        }

        var gates = (status["gates"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (gates.Count > 0)
        {
            lines.Add("");
            lines.Add("Gates:");
            foreach (var gate in gates)
            {
                var passed = gate["passed"] is JsonValue p && p.TryGetValue<bool>(out var ok) && ok;
                lines.Add($"  {(passed ? "pass" : "FAIL")}  {Text(gate["suite"])}/{Text(gate["metric"])}: {Text(gate["message"])}".TrimEnd());
            }
        }

        if (status["contamination"] is JsonObject contamination)
        {
            lines.Add("");
            lines.Add($"Contamination: overlap {Format(Number(contamination["overlap"]), 4)} ({Format(Number(contamination["overlapping"]), 0)} of {Format(Number(contamination["checked"]), 0)} checked, {Format(Number(contamination["exactDuplicates"]), 0)} exact duplicates)");
        }

        lines.Add("");
    }

    private static void Rollout(List<string> lines, JsonObject status)
    {
        lines.Add($"{"",-9}{"version",-12}model");
        lines.Add($"{"stable",-9}{Text(status["stableVersion"]) ?? "-",-12}{Text(status["stableModel"]?["uri"]) ?? "-"}");
        lines.Add($"{"canary",-9}{Text(status["canaryVersion"]) ?? "-",-12}{Text(status["canaryModel"]?["uri"]) ?? "-"}");
        lines.Add("");
        lines.Add($"Canary weight {Format(Number(status["canaryWeight"]) ?? 0, 0)}%, step {Format(Number(status["currentStep"]), 0)}, analysis failures {Format(Number(status["analysisFailures"]) ?? 0, 0)}");
        var analysis = (status["analysis"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (analysis.Count > 0)
        {
            lines.Add($"Analysis ({analysis.Count} measurements; the latest per metric):");
            foreach (var result in analysis.GroupBy(r => Text(r["metric"])).Select(g => g.Last()))
            {
                lines.Add($"  {Text(result["verdict"]),-13}{Text(result["metric"])} = {Format(Number(result["value"]), 4)}  {Text(result["message"])}".TrimEnd());
            }
        }

        lines.Add("");
    }

    private static void Cost(List<string> lines, JsonObject? cost)
    {
        if (cost is null)
        {
            return;
        }

        string G(string key) => Significant(Number(cost[key]) ?? 0);
        lines.Add($"Cost: estimated {G("estimatedGpuSeconds")} GPU-seconds (${G("estimatedCost")}), measured {G("gpuSeconds")} GPU-seconds (${G("cost")}); a CPU-only job uses none");
    }
}
