using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Reports;

/// <summary>The report for people as Markdown: verdict first, then gates, scores with deltas and intervals, and details.</summary>
public static class MarkdownReport
{
    /// <summary>The report as Markdown text.</summary>
    public static string Render(ReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var md = new StringBuilder();
        md.AppendLine(F($"# Evaluation: {content.Title}")).AppendLine();
        md.AppendLine(F($"**Verdict: {content.Verdict}.** {content.Summary}")).AppendLine();
        if (content.Forgetting is { } forgetting)
        {
            md.AppendLine(forgetting).AppendLine();
        }

        md.AppendLine(F($"- Model: {content.Model.Display} — `{content.Model.Uri}` ({content.Model.Digest ?? "no digest"})"));
        if (content.Baseline is { } baseline)
        {
            md.AppendLine(F($"- Baseline: {baseline.Display} — `{baseline.Uri}` ({baseline.Digest ?? "no digest"})"));
        }

        md.AppendLine().AppendLine("## Gates").AppendLine().AppendLine("| suite | metric | decision | result | explanation |").AppendLine("|---|---|---|---|---|");
        foreach (var gate in content.Gates)
        {
            md.AppendLine(F($"| {gate.Gate.Suite} | {gate.Gate.Metric} | {gate.Gate.Decision.ToName()} | {(gate.Passed ? "passed" : "**failed**")} | {gate.Message} |"));
        }

        if (content.Contamination is { } c)
        {
            md.AppendLine().AppendLine("## Contamination").AppendLine();
            md.AppendLine(F($"{c.ContaminatedIndices.Count} of {c.Checked} test records ({c.Overlap:P2}) were found in the training data ({c.ExactDuplicates} exact duplicates; {c.IgnoredNgrams} boilerplate n-grams ignored)."));
            foreach (var e in c.Examples)
            {
                md.AppendLine(F($"- test record {e.TestIndex} ~ training record {e.TrainingIndex}{(e.ExactDuplicate ? " (exact duplicate)" : "")}: \"{e.Ngram}\""));
            }
        }

        AppendScores(md, "Scores", content.Scores);
        if (content.CleanScores.Count > 0)
        {
            AppendScores(md, "Scores on the clean subset (contaminated records left out)", content.CleanScores);
        }

        md.AppendLine().AppendLine("## Definitions").AppendLine();
        md.AppendLine("Intervals are 95 % paired percentile bootstrap intervals (fixed seed); McNemar's test is exact below 25 discordant pairs. Micro accuracy is the share of all questions answered correctly; macro accuracy (`accuracyMacro`) is the unweighted mean of the per-subject accuracies. `accuracyRaw` picks the choice with the highest summed log-likelihood (acc), `accuracyNorm` the highest mean log-likelihood per token (acc_norm). The minimum detectable delta is the smallest change the test set detects with 80 % power at α = 0.05.");
        foreach (var (suite, details) in content.SuiteDetails)
        {
            if (details["confusion"] is JsonArray matrix && details["labels"] is JsonArray labels)
            {
                md.AppendLine().AppendLine(F($"## {suite}: confusion matrix (rows: true, columns: predicted)")).AppendLine();
                md.AppendLine("| | " + string.Join(" | ", labels.Select(l => l!.ToString())) + " |");
                md.AppendLine("|---" + string.Concat(Enumerable.Repeat("|---", labels.Count)) + "|");
                for (var r = 0; r < labels.Count; r++)
                {
                    md.AppendLine(F($"| **{labels[r]}** | ") + string.Join(" | ", ((JsonArray)matrix[r]!).Select(v => v!.ToString())) + " |");
                }
            }

            if (details["subjectiveCategories"] is JsonArray categories)
            {
                md.AppendLine().AppendLine(F($"## {suite}: subjective scores per category (reference judge)")).AppendLine();
                md.AppendLine(SubjectiveNote(details)).AppendLine();
                md.AppendLine("| category | items | weight | score | correct | penalised | bonus groups |").AppendLine("|---|---|---|---|---|---|---|");
                foreach (var row in categories)
                {
                    md.AppendLine(F($"| **{row!["category"]}** | {row["items"]} | {N(row["weight"]!.GetValue<double>())} | {N(row["score"]!.GetValue<double>())} | {row["correct"]} | {row["penalized"]} | {row["bonusGroups"]} |"));
                }
            }

            if (ModelJudgeSection.Of(details) is { } judge)
            {
                md.AppendLine().AppendLine(F($"## {suite}: model judge, pairwise against the baseline")).AppendLine();
                md.AppendLine(ModelJudgeSection.Identity(judge)).AppendLine().AppendLine(judge["protocol"]!.ToString()).AppendLine().AppendLine(ModelJudgeSection.Findings(judge)).AppendLine();
                md.AppendLine("| " + string.Join(" | ", ModelJudgeSection.Header) + " |").AppendLine(string.Concat(ModelJudgeSection.Header.Select(_ => "|---")) + "|");
                foreach (var row in ModelJudgeSection.Rows(judge))
                {
                    md.AppendLine(F($"| **{row[0]}** | ") + string.Join(" | ", row.Skip(1)) + " |");
                }
            }

            if (details["perClass"] is JsonArray classes && details["areas"] is not null)
            {
                md.AppendLine().AppendLine(F($"## {suite}: average precision per class (COCO; -1: no ground truth)")).AppendLine();
                md.AppendLine("| class | objects | AP | AP50 | AP75 | AR@100 |").AppendLine("|---|---|---|---|---|---|");
                foreach (var row in classes)
                {
                    md.AppendLine(F($"| **{row!["category"]}** | {row["groundTruth"]} | {N(row["ap"]!.GetValue<double>())} | {N(row["ap50"]!.GetValue<double>())} | {N(row["ap75"]!.GetValue<double>())} | {N(row["ar100"]!.GetValue<double>())} |"));
                }
            }
        }

        md.AppendLine().AppendLine("## Reproducibility manifest").AppendLine().AppendLine("```json").AppendLine(content.Manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })).AppendLine("```");
        return md.ToString();
    }

    /// <summary>The scoring rule of a subjective suite in one paragraph, with its magnitudes.</summary>
    internal static string SubjectiveNote(JsonObject details)
    {
        var scoring = details["scoring"]!;
        var nothing = (details["subjectiveCategories"] as JsonArray ?? []).Where(c => c!["score"]!.GetValue<double>() <= 0).Select(c => c!["category"]!.GetValue<string>()).ToArray();
        var rule = F($"An item scores {N(scoring["correct"]!.GetValue<double>())} when correct (every mustInclude group matched, a refusal when it must refuse, an equal tool call when one is expected), {N(scoring["bonus"]!.GetValue<double>())} more per matched bonus group of a correct answer, and {N(scoring["fabricationPenalty"]!.GetValue<double>())} less when it asserts a mustNotInclude term or, for safety, leaks personal data. `score` is the weighted mean of the category means.");
        return nothing.Length == 0 ? rule : rule + " The model earned nothing (score 0 or below) in: " + string.Join(", ", nothing) + ".";
    }

    private static void AppendScores(StringBuilder md, string title, IReadOnlyList<ScoreComparison> scores)
    {
        md.AppendLine().AppendLine(F($"## {title}")).AppendLine();
        md.AppendLine("| suite | metric | n | model | 95 % CI | baseline | delta | 95 % CI of delta | McNemar p | detectable |").AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in scores)
        {
            md.AppendLine(F($"| {s.Suite} | {s.Metric} | {s.Samples} | {s.Value.Estimate:0.####} | {s.Value.Lower:0.###}–{s.Value.Upper:0.###} | {N(s.Baseline?.Estimate)} | {N(s.Delta?.Estimate)} | {(s.Delta is { } d ? F($"{d.Lower:0.###} to {d.Upper:0.###}") : "")} | {N(s.McNemar?.PValue)} | {N(s.MinimumDetectableDelta)} |"));
        }
    }

    private static string N(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
