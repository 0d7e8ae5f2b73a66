using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Reports;

/// <summary>
/// The report as one self-contained HTML page: no scripts, no external files; charts are PNGs drawn by
/// <see cref="ReportCharts"/> and embedded as data URIs.
/// </summary>
public static class HtmlReport
{
    /// <summary>The report as HTML text.</summary>
    public static string Render(ReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation: ").Append(E(content.Title)).Append("</title><style>")
            .Append("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;text-align:left}.models td{overflow-wrap:anywhere}")
            .Append(".passed{color:#1a7f37}.failed{color:#cf222e;font-weight:bold}img{max-width:100%}</style></head><body>");
        html.Append("<h1>Evaluation: ").Append(E(content.Title)).Append("</h1>");
        html.Append("<p id=\"verdict\" class=\"").Append(content.Verdict == "Passed" ? "passed" : "failed").Append("\">Verdict: ").Append(E(content.Verdict)).Append(". ").Append(E(content.Summary)).Append("</p>");
        if (content.Forgetting is { } forgetting)
        {
            html.Append("<p>").Append(E(forgetting)).Append("</p>");
        }

        html.Append("<table class=\"models\"><tr><th></th><th>name</th><th>version</th><th>vendor</th><th>uri</th><th>digest</th></tr>");
        AppendModel(html, "model", content.Model);
        if (content.Baseline is { } baseline)
        {
            AppendModel(html, "baseline", baseline);
        }

        html.Append("</table><h2>Gates</h2><table><tr><th>suite</th><th>metric</th><th>decision</th><th>result</th><th>explanation</th></tr>");
        foreach (var gate in content.Gates)
        {
            html.Append(F($"<tr><td>{E(gate.Gate.Suite)}</td><td>{E(gate.Gate.Metric)}</td><td>{gate.Gate.Decision.ToName()}</td><td class=\"{(gate.Passed ? "passed" : "failed")}\">{(gate.Passed ? "passed" : "failed")}</td><td>{E(gate.Message)}</td></tr>"));
        }

        html.Append("</table>");
        if (content.Contamination is { } c)
        {
            html.Append(F($"<h2>Contamination</h2><p>{c.ContaminatedIndices.Count} of {c.Checked} test records ({c.Overlap:P2}) found in the training data; {c.ExactDuplicates} exact duplicates.</p><ul>"));
            foreach (var e in c.Examples)
            {
                html.Append(F($"<li>test record {e.TestIndex} ~ training record {e.TrainingIndex}: “{E(e.Ngram)}”</li>"));
            }

            html.Append("</ul>");
        }

        AppendScores(html, "Scores", content.Scores);
        if (content.CleanScores.Count > 0)
        {
            AppendScores(html, "Scores on the clean subset", content.CleanScores);
        }

        AppendCharts(html, content);
        AppendConfusion(html, content);
        html.Append("<h2>Reproducibility manifest</h2><pre>").Append(E(content.Manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }))).Append("</pre></body></html>\n");
        return html.ToString();
    }

    private static void AppendModel(StringBuilder html, string role, ModelIdentity m) =>
        html.Append(F($"<tr><th>{role}</th><td>{E(m.Name)}</td><td>{E(m.Version)}</td><td>{E(m.Vendor)}</td><td>{E(m.Uri)}</td><td>{E(m.Digest)}</td></tr>"));

    private static void AppendScores(StringBuilder html, string title, IReadOnlyList<ScoreComparison> scores)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2><table><tr><th>suite</th><th>metric</th><th>n</th><th>model</th><th>95 % CI</th><th>baseline</th><th>delta</th><th>95 % CI of delta</th><th>McNemar p</th><th>detectable change</th></tr>");
        foreach (var s in scores)
        {
            html.Append(F($"<tr><td>{E(s.Suite)}</td><td>{E(s.Metric)}</td><td>{s.Samples}</td><td>{s.Value.Estimate:0.####}</td><td>{s.Value.Lower:0.###}–{s.Value.Upper:0.###}</td><td>{N(s.Baseline?.Estimate)}</td><td>{N(s.Delta?.Estimate)}</td><td>{(s.Delta is { } d ? F($"{d.Lower:0.###} to {d.Upper:0.###}") : "")}</td><td>{N(s.McNemar?.PValue)}</td><td>{N(s.MinimumDetectableDelta)}</td></tr>"));
        }

        html.Append("</table>");
    }

    private static void AppendCharts(StringBuilder html, ReportContent content)
    {
        html.Append("<h2>Charts</h2>");
        foreach (var suite in content.Scores.Select(s => s.Suite).Distinct())
        {
            var headline = content.Scores.Where(s => s.Suite == suite && !s.Metric.Contains('.', StringComparison.Ordinal)).Take(12).ToArray();
            var breakdown = content.Scores.Where(s => s.Suite == suite && s.Metric.Contains('.', StringComparison.Ordinal) && !s.Metric.StartsWith("precision.", StringComparison.Ordinal) && !s.Metric.StartsWith("f1.", StringComparison.Ordinal)).Take(24).ToArray();
            AppendChart(html, ReportCharts.ModelAgainstBaseline($"{suite}: model against baseline", headline), $"{suite}-overall");
            AppendChart(html, ReportCharts.ModelAgainstBaseline($"{suite}: per subject / class / category", breakdown), $"{suite}-breakdown");
        }
    }

    private static void AppendChart(StringBuilder html, byte[]? png, string id)
    {
        if (png is not null)
        {
            html.Append("<p><img class=\"chart\" id=\"chart-").Append(E(id)).Append("\" alt=\"").Append(E(id)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\"></p>");
        }
    }

    private static void AppendConfusion(StringBuilder html, ReportContent content)
    {
        foreach (var (suite, details) in content.SuiteDetails)
        {
            if (details["confusion"] is not JsonArray matrix || details["labels"] is not JsonArray labels)
            {
                continue;
            }

            html.Append("<h2>").Append(E(suite)).Append(": confusion matrix</h2><p>Rows: true class; columns: predicted class.</p><table><tr><th></th>");
            foreach (var label in labels)
            {
                html.Append("<th>").Append(E(label?.ToString())).Append("</th>");
            }

            html.Append("</tr>");
            for (var r = 0; r < labels.Count; r++)
            {
                html.Append("<tr><th>").Append(E(labels[r]?.ToString())).Append("</th>");
                foreach (var cell in (JsonArray)matrix[r]!)
                {
                    html.Append("<td>").Append(E(cell?.ToString())).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }

        foreach (var (suite, details) in content.SuiteDetails)
        {
            if (details["subjectiveCategories"] is not JsonArray categories)
            {
                continue;
            }

            html.Append("<h2>").Append(E(suite)).Append(": subjective scores per category (reference judge)</h2><p>").Append(E(MarkdownReport.SubjectiveNote(details).Replace("`", "", StringComparison.Ordinal))).Append("</p>");
            html.Append("<table class=\"subjective\"><tr><th>category</th><th>items</th><th>weight</th><th>score</th><th>correct</th><th>penalised</th><th>bonus groups</th></tr>");
            foreach (var row in categories)
            {
                html.Append("<tr><th>").Append(E(row!["category"]?.ToString())).Append("</th><td>").Append(E(row["items"]?.ToString())).Append("</td><td>")
                    .Append(N(row["weight"]?.GetValue<double>())).Append("</td><td>").Append(N(row["score"]?.GetValue<double>())).Append("</td><td>")
                    .Append(E(row["correct"]?.ToString())).Append("</td><td>").Append(E(row["penalized"]?.ToString())).Append("</td><td>")
                    .Append(E(row["bonusGroups"]?.ToString())).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        foreach (var (suite, details) in content.SuiteDetails)
        {
            if (ModelJudgeSection.Of(details) is not { } judge)
            {
                continue;
            }

            html.Append("<h2>").Append(E(suite)).Append(": model judge, pairwise against the baseline</h2>");
            foreach (var paragraph in new[] { ModelJudgeSection.Identity(judge), judge["protocol"]!.ToString(), ModelJudgeSection.Findings(judge) })
            {
                html.Append("<p>").Append(E(paragraph)).Append("</p>");
            }

            html.Append("<table class=\"model-judge\"><tr>").AppendJoin("", ModelJudgeSection.Header.Select(h => "<th>" + E(h) + "</th>")).Append("</tr>");
            foreach (var row in ModelJudgeSection.Rows(judge))
            {
                html.Append("<tr><th>").Append(E(row[0])).Append("</th>").AppendJoin("", row.Skip(1).Select(cell => "<td>" + E(cell) + "</td>")).Append("</tr>");
            }

            html.Append("</table>");
        }

        foreach (var (suite, details) in content.SuiteDetails)
        {
            if (details["perClass"] is not JsonArray classes || details["areas"] is null)
            {
                continue;
            }

            html.Append("<h2>").Append(E(suite)).Append(": average precision per class</h2><p>COCO definitions; -1: no ground truth.</p><table><tr><th>class</th><th>objects</th><th>AP</th><th>AP50</th><th>AP75</th><th>AR@100</th></tr>");
            foreach (var c in classes)
            {
                html.Append("<tr><th>").Append(E(c!["category"]?.ToString())).Append("</th><td>").Append(E(c["groundTruth"]?.ToString())).Append("</td>");
                foreach (var key in new[] { "ap", "ap50", "ap75", "ar100" })
                {
                    html.Append("<td>").Append(N(c[key]?.GetValue<double>())).Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }
    }

    private static string N(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
