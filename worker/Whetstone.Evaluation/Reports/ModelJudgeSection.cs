using System.Globalization;
using System.Text.Json.Nodes;

namespace Whetstone.Evaluation.Reports;

/// <summary>
/// The model judge's part of a subjective suite's report, as sentences and table rows shared by the Markdown and HTML
/// reports: who judged, the protocol, win / tie / loss per category, position bias, parse failures, and the
/// agreement with the reference judge.
/// </summary>
internal static class ModelJudgeSection
{
    /// <summary>The header of the per-category table.</summary>
    public static IReadOnlyList<string> Header { get; } = ["category", "items", "weight", "wins", "ties", "losses", "unparsed"];

    /// <summary>The suite's model-judge details, or null when the suite was judged by the reference judge.</summary>
    public static JsonObject? Of(JsonObject details) => details["modelJudge"] as JsonObject;

    /// <summary>The judge's identity in one sentence.</summary>
    public static string Identity(JsonObject judge) => F(
        $"Judge: {judge["servedModel"]}{(judge["version"] is { } v ? F($" (version {v})") : "")} at {judge["endpoint"]}, spec judgeModel {judge["source"] ?? "unnamed"}{(judge["digest"] is { } d ? F($" ({d})") : "")}; at most {judge["maxTokens"]} tokens per verdict.");

    /// <summary>The counts in words: verdicts, position bias, parse failures, agreement with the reference judge.</summary>
    public static string Findings(JsonObject judge)
    {
        var calibration = judge["calibration"]!;
        var kappa = calibration["kappa"] is JsonValue k ? k.GetValue<double>().ToString("0.###", CultureInfo.InvariantCulture) : "undefined (one label only)";
        return F($"{judge["items"]} items, {judge["requests"]} requests (both answer orders): the model won {judge["wins"]}, tied {judge["ties"]} and lost {judge["losses"]} against the baseline. ")
            + F($"Position bias: {judge["positionInconsistent"]} items got different verdicts in the two orders (counted as ties; {judge["favoredFirstPosition"]} preferred whichever answer came first, {judge["favoredSecondPosition"]} whichever came second). ")
            + F($"Parse failures: {judge["parseFailures"]} of {judge["requests"]} verdicts had no single [[A]], [[B]] or [[C]], leaving {judge["unparsedItems"]} items out of the win rate. ")
            + F($"Agreement with the reference (rubric) judge on the {calibration["items"]} judged items: {calibration["agreement"]!.GetValue<double>() * 100:0.#} %, Cohen's kappa {kappa}; rubric scores model {calibration["referenceScoreModel"]!.GetValue<double>():0.###}, baseline {calibration["referenceScoreBaseline"]!.GetValue<double>():0.###}.");
    }

    /// <summary>One row per category, matching <see cref="Header"/>.</summary>
    public static IEnumerable<IReadOnlyList<string>> Rows(JsonObject judge) =>
        (judge["categories"] as JsonArray ?? []).Select(row => (IReadOnlyList<string>)[
            row!["category"]!.ToString(), row["items"]!.ToString(), row["weight"]!.GetValue<double>().ToString("0.####", CultureInfo.InvariantCulture),
            row["wins"]!.ToString(), row["ties"]!.ToString(), row["losses"]!.ToString(), row["unparsed"]!.ToString()]);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
