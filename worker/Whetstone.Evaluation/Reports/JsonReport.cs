using System.Text.Json;
using System.Text.Json.Nodes;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Reports;

/// <summary>The machine-readable report: everything in <see cref="ReportContent"/> (per-item results go to a JSONL file beside it).</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The report as indented JSON.</summary>
    public static string Render(ReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var root = new JsonObject
        {
            ["title"] = content.Title,
            ["model"] = Identity(content.Model),
            ["baseline"] = content.Baseline is null ? null : Identity(content.Baseline),
            ["verdict"] = content.Verdict,
            ["summary"] = content.Summary,
            ["forgetting"] = content.Forgetting,
            ["manifest"] = content.Manifest.DeepClone(),
            ["scores"] = Scores(content.Scores),
            ["cleanScores"] = Scores(content.CleanScores),
            ["gates"] = new JsonArray([.. content.Gates.Select(g => (JsonNode)new JsonObject
            {
                ["suite"] = g.Gate.Suite,
                ["metric"] = g.Gate.Metric,
                ["decision"] = g.Gate.Decision.ToName(),
                ["value"] = g.Value,
                ["threshold"] = g.Threshold,
                ["passed"] = g.Passed,
                ["pValue"] = g.PValue,
                ["message"] = g.Message,
            })]),
            ["contamination"] = content.Contamination is not { } c ? null : new JsonObject
            {
                ["checked"] = c.Checked,
                ["overlapping"] = c.ContaminatedIndices.Count,
                ["overlap"] = c.Overlap,
                ["exactDuplicates"] = c.ExactDuplicates,
                ["ignoredNgrams"] = c.IgnoredNgrams,
                ["examples"] = new JsonArray([.. c.Examples.Select(e => (JsonNode)new JsonObject
                {
                    ["testIndex"] = e.TestIndex, ["trainingIndex"] = e.TrainingIndex, ["exactDuplicate"] = e.ExactDuplicate, ["ngram"] = e.Ngram,
                })]),
            },
            ["suites"] = new JsonObject(content.SuiteDetails.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.DeepClone()))),
        };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>Per-item results, one JSON object a line, tagged with suite and model.</summary>
    public static string RenderItems(IEnumerable<(string Model, SuiteMeasurement Measurement)> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        var lines = new List<string>();
        foreach (var (model, measurement) in measurements)
        {
            foreach (var record in measurement.ItemRecords)
            {
                var line = (JsonObject)record.DeepClone();
                line.Insert(0, "model", model);
                line.Insert(0, "suite", measurement.Suite);
                lines.Add(line.ToJsonString());
            }
        }

        return string.Join('\n', lines) + "\n";
    }

    private static JsonObject Identity(ModelIdentity m) => new()
    {
        ["name"] = m.Name,
        ["version"] = m.Version,
        ["vendor"] = m.Vendor,
        ["uri"] = m.Uri,
        ["digest"] = m.Digest,
    };

    private static JsonArray Scores(IReadOnlyList<ScoreComparison> scores) =>
        [.. scores.Select(s => (JsonNode)new JsonObject
        {
            ["suite"] = s.Suite,
            ["metric"] = s.Metric,
            ["samples"] = s.Samples,
            ["value"] = s.Value.Estimate,
            ["valueLower"] = s.Value.Lower,
            ["valueUpper"] = s.Value.Upper,
            ["baseline"] = s.Baseline?.Estimate,
            ["delta"] = s.Delta?.Estimate,
            ["deltaLower"] = s.Delta?.Lower,
            ["deltaUpper"] = s.Delta?.Upper,
            ["mcNemarPValue"] = s.McNemar?.PValue,
            ["mcNemarExact"] = s.McNemar?.Exact,
            ["discordant"] = s.McNemar?.Discordant,
            ["minimumDetectableDelta"] = s.MinimumDetectableDelta,
        })];
}
