using System.Globalization;
using System.Text;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Rollouts.Reports;

/// <summary>The rollout report as Markdown: outcome, durations, a table per track, the analysis decisions.</summary>
public static class RolloutReportMarkdown
{
    /// <summary>At most this many characters (status.report.markdown's limit); older decisions are left out first.</summary>
    public const int MaxLength = 32768;

    /// <summary>Writes <paramref name="report"/> for <paramref name="rollout"/>.</summary>
    public static string Write(ModelRollout rollout, RolloutReport report)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(report);
        var decisions = report.Decisions ?? [];
        for (var skip = 0; ; skip++)
        {
            var text = Render(rollout, report, decisions.Skip(skip).ToList(), skip);
            if (text.Length <= MaxLength || skip >= decisions.Count)
            {
                return text.Length <= MaxLength ? text : text[..MaxLength];
            }
        }
    }

    private static string Render(ModelRollout rollout, RolloutReport report, IReadOnlyList<AnalysisResult> decisions, int omitted)
    {
        var md = new StringBuilder();
        Line(md, $"# ModelRollout {rollout.Metadata.NamespaceProperty}/{rollout.Metadata.Name}: {report.Outcome}");
        Line(md, $"");
        Line(md, $"Canary {report.CanaryVersion} against stable {report.StableVersion}. {report.Reason}");
        Line(md, $"");
        Line(md, $"- started {Time(report.StartedAt)}, decided {Time(report.FinishedAt)} ({Seconds(report.DurationSeconds)})");
        Line(md, $"- steps completed: {report.StepsCompleted}/{report.Steps}; at the last weight for {Seconds(report.LastStepSeconds)}");
        if (report.Note is { Length: > 0 } note)
        {
            Line(md, $"- note: {note}");
        }

        Line(md, $"");
        Line(md, $"## Tracks");
        Line(md, $"");
        Line(md, $"| track | version | requests | errors | conversion (95 % interval) | attempts | P99 latency |");
        Line(md, $"|---|---|---:|---:|---|---:|---:|");
        foreach (var t in report.Tracks ?? [])
        {
            var conversion = t.Conversion is { } c ? Invariant($"{c:0.000} ({t.ConversionLow:0.000}–{t.ConversionHigh:0.000})") : "not measured";
            var p99 = t.P99Seconds is { } p ? Invariant($"{p * 1000:0.#} ms") : "not measured";
            Line(md, $"| {t.Track} | {t.Version} | {Count(t.Requests)} | {Count(t.Errors)} | {conversion} | {Count(t.Attempts)} | {p99} |");
        }

        Line(md, $"");
        Line(md, $"## Analysis decisions");
        Line(md, $"");
        if (omitted > 0)
        {
            Line(md, $"({omitted} older decisions left out here; status.report.decisions holds them all.)");
            Line(md, $"");
        }

        if (decisions.Count == 0)
        {
            Line(md, $"No analysis was measured.");
        }
        else
        {
            Line(md, $"| at | metric | verdict | value | details |");
            Line(md, $"|---|---|---|---:|---|");
            foreach (var d in decisions)
            {
                var value = d.Value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : "–";
                Line(md, $"| {Time(d.At)} | {d.Metric} | {d.Verdict} | {value} | {Cell(d.Message)} |");
            }
        }

        return md.ToString();
    }

    private static void Line(StringBuilder md, FormattableString text) => md.Append(Invariant(text)).Append('\n');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "–";

    private static string Seconds(double? seconds) => seconds is { } s ? RolloutDurations.Format(TimeSpan.FromSeconds(s)) : "–";

    private static string Count(double? value) => value is { } v ? Math.Round(v).ToString(CultureInfo.InvariantCulture) : "–";

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
