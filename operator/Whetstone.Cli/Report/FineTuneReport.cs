using System.Text.Json.Nodes;

namespace Whetstone.Cli.Report;

/// <summary>A FineTuneJob's summary: artifacts, the before/after table (validation loss, test accuracy, train loss) and the dataset's counts.</summary>
internal static class FineTuneReport
{
    /// <summary>Appends the FineTuneJob part of the report.</summary>
    public static void Append(List<string> lines, JsonObject status)
    {
        var metrics = status["metrics"] as JsonObject ?? [];
        var history = (status["lossHistory"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var artifacts = status["artifacts"] as JsonObject;
        StatusReport.Artifacts(lines, artifacts, ("Fine-tuned model", "model"), ("LoRA adapter", "adapter"), ("Loss curve", "lossCurve"), ("Test split", "testSplit"));
        if (StatusReport.Text(artifacts?["lossCurve"]?["uri"]) is { } curve && curve.EndsWith(".json", StringComparison.Ordinal))
        {
            lines.Add($"{"Loss chart:",-18}{curve[..^5]}.png");
        }

        lines.Add("");
        var validated = history.Where(point => StatusReport.Number(point["validationLoss"]) is not null).ToList();
        var before = StatusReport.Number(metrics["baseValidationLoss"]);
        var beforeNote = "before: the base model";
        if (before is null && validated.Count > 0)
        {
            before = StatusReport.Number(validated[0]["validationLoss"]);
            beforeNote = $"before: first evaluation (step {StatusReport.Text(validated[0]["step"])})";
        }

        var rows = new List<(string Name, double? Before, double? After, string Note)>
        {
            ("validation loss", before, StatusReport.Number(metrics["validationLoss"]),
                $"{beforeNote}; best {StatusReport.Format(StatusReport.Number(metrics["bestValidationLoss"]))} at step {StatusReport.Text(metrics["bestStep"]) ?? "-"}"),
        };
        if (StatusReport.Number(metrics["testAccuracy"]) is { } accuracy)
        {
            rows.Add(("test accuracy", StatusReport.Number(metrics["baseTestAccuracy"]), accuracy, "multiple choice on the held-out test split"));
        }

        if (history.Count > 0)
        {
            rows.Add(("train loss", StatusReport.Number(history[0]["trainLoss"]), StatusReport.Number(metrics["trainLoss"]), $"before: step {StatusReport.Text(history[0]["step"])}"));
        }

        lines.Add($"{"",-17}{"before",8}{"after",9}");
        foreach (var (name, first, last, note) in rows)
        {
            lines.Add($"{name,-17}{StatusReport.Format(first),8}{StatusReport.Format(last),9}   {note}");
        }

        lines.Add("");
        var dataset = status["dataset"] as JsonObject;
        if (dataset?["records"] is JsonObject records)
        {
            string Count(string key) => StatusReport.Text(records[key]) ?? "0";
            string Nonzero(string key) => string.Join(", ", (dataset[key] as JsonObject ?? [])
                .Where(entry => StatusReport.Number(entry.Value) is > 0)
                .Select(entry => $"{entry.Key} {StatusReport.Text(entry.Value)}"));
            var digest = StatusReport.Text(dataset["digest"]) ?? "";
            lines.Add($"Dataset {digest[..Math.Min(19, digest.Length)]}…: {Count("input")} records in, {Count("train")}/{Count("validation")}/{Count("test")} train/validation/test");
            var dropped = Nonzero("dropped");
            var redacted = Nonzero("redactions");
            lines.Add($"  dropped: {(dropped.Length > 0 ? dropped : "none")}; redacted: {(redacted.Length > 0 ? redacted : "none")}");
        }
    }
}
