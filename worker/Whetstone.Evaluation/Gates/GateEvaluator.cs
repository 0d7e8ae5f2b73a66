using System.Globalization;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Statistics;

namespace Whetstone.Evaluation.Gates;

/// <summary>
/// Decides every gate from the compared scores. A gate's thresholds (min, max, maxRegression) must all hold. The
/// regression is baseline − value for metrics where higher is better and value − baseline for latencies.
/// <list type="bullet">
/// <item><c>pointEstimate</c>: the estimate must satisfy the threshold.</item>
/// <item><c>nonInferior</c>: the unfavourable end of the 95 % bootstrap interval must satisfy it (the lower bound of a
/// value for min, the upper for max, the upper bound of the regression for maxRegression).</item>
/// <item><c>significant</c>: fails only when the estimate violates the threshold and the violation is significant:
/// p &lt; 0.05 after Holm's correction across all significant gates of the run. The p-value is McNemar's for a
/// maxRegression of 0 on per-item correctness, else the one-sided bootstrap p-value (k + 1) / (B + 1), k the
/// resamples on which the threshold holds.</item>
/// </list>
/// </summary>
public static class GateEvaluator
{
    /// <summary>Significance level of <see cref="GateDecision.Significant"/> gates.</summary>
    public const double Alpha = 0.05;

    /// <summary>Decides each gate in order.</summary>
    public static IReadOnlyList<GateOutcome> Evaluate(IReadOnlyList<GateSpec> gates, IReadOnlyList<ScoreComparison> scores)
    {
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(scores);
        var checks = gates.Select(g => Check(g, scores)).ToArray();
        var significant = Enumerable.Range(0, gates.Count).Where(i => gates[i].Decision == GateDecision.Significant && checks[i].Score is not null).ToArray();
        var adjusted = HolmCorrection.Adjust(significant.Select(i => checks[i].PValue).ToArray());
        var outcomes = new GateOutcome[gates.Count];
        for (var i = 0; i < gates.Count; i++)
        {
            var holm = Array.IndexOf(significant, i) is var at && at >= 0 ? adjusted[at] : (double?)null;
            outcomes[i] = Decide(gates[i], checks[i], holm);
        }

        return outcomes;
    }

    private static Prepared Check(GateSpec gate, IReadOnlyList<ScoreComparison> scores)
    {
        var score = scores.FirstOrDefault(s => s.Suite == gate.Suite && s.Metric == gate.Metric);
        if (score is null)
        {
            return new Prepared(null, [], 1);
        }

        var checks = new List<Threshold>();
        if (gate.Min is { } min)
        {
            checks.Add(new Threshold("min", min, score.Value.Estimate, score.Value.Lower, score.Value.Resampled, v => v >= min));
        }

        if (gate.Max is { } max)
        {
            checks.Add(new Threshold("max", max, score.Value.Estimate, score.Value.Upper, score.Value.Resampled, v => v <= max));
        }

        if (gate.MaxRegression is { } allowed && score.Delta is { } delta)
        {
            var sign = score.HigherIsBetter ? -1 : 1;
            var regression = sign * delta.Estimate;
            var worst = score.HigherIsBetter ? -delta.Lower : delta.Upper;
            checks.Add(new Threshold("maxRegression", allowed, regression, worst, [.. delta.Resampled.Select(d => sign * d)], r => r <= allowed));
        }

        var p = checks.Count == 0 ? 1 : checks.Max(c => OneSidedP(c));
        if (gate.MaxRegression == 0 && score.McNemar is { } test)
        {
            p = test.PValue;
        }

        return new Prepared(score, checks, p);
    }

    private static double OneSidedP(Threshold check)
    {
        var holding = check.Resampled.Count(v => check.Holds(v));
        return (holding + 1.0) / (check.Resampled.Count + 1.0);
    }

    private static GateOutcome Decide(GateSpec gate, Prepared prepared, double? holm)
    {
        if (prepared.Score is not { } score)
        {
            return new GateOutcome(gate, null, null, false, null, $"{gate.Suite}/{gate.Metric} was not measured, so the gate cannot pass");
        }

        if (gate.MaxRegression is not null && score.Delta is null)
        {
            return new GateOutcome(gate, null, gate.MaxRegression, false, null, $"{gate.Suite}/{gate.Metric}: maxRegression needs a baseline score, and the baseline has none");
        }

        var failed = prepared.Checks.FirstOrDefault(c => gate.Decision switch
        {
            GateDecision.NonInferior => !c.Holds(c.Bound),
            GateDecision.Significant => !c.Holds(c.Estimate) && holm < Alpha,
            _ => !c.Holds(c.Estimate),
        });
        var shown = failed ?? prepared.Checks[0];
        var message = Describe(gate, score, shown, failed is null, holm);
        return new GateOutcome(gate, shown.Estimate, shown.Limit, failed is null, holm, message);
    }

    private static string Describe(GateSpec gate, ScoreComparison score, Threshold check, bool passed, double? holm)
    {
        var name = $"{gate.Suite} {gate.Metric}";
        var text = check.Kind switch
        {
            "maxRegression" => F($"{name} {(Math.Abs(check.Estimate) < 1e-12 ? "is unchanged" : check.Estimate > 0 ? $"regressed by {check.Estimate:0.####}" : $"improved by {-check.Estimate:0.####}")} (model {score.Value.Estimate:0.####}, baseline {score.Baseline!.Estimate:0.####}, 95 % CI of the change {score.Delta!.Lower:0.####} to {score.Delta.Upper:0.####}); allowed regression {check.Limit:0.####}"),
            "min" => F($"{name} is {check.Estimate:0.####}{Interval(score)}; minimum {check.Limit:0.####}"),
            _ => F($"{name} is {check.Estimate:0.####}{Interval(score)}; maximum {check.Limit:0.####}"),
        };
        var rule = gate.Decision switch
        {
            GateDecision.NonInferior => F($"decision nonInferior: the interval's unfavourable bound {check.Bound + 0.0:0.####} {(check.Holds(check.Bound) ? "clears" : "does not clear")} the threshold"),
            GateDecision.Significant => F($"decision significant: Holm-adjusted p = {holm:0.####}{(check.Holds(check.Estimate) ? "" : holm < Alpha ? ", the violation is significant" : ", the violation is not significant at 0.05")}"),
            _ => "decision pointEstimate",
        };
        var power = score.MinimumDetectableDelta is { } mde ? F($"; {score.Samples} items detect a change of {mde:0.###} or more with 80 % power") : "";
        return $"{(passed ? "passed" : "FAILED")}: {text}; {rule}{power}";
    }

    // Measurements with no per-item resampling (latencies) have no interval to show.
    private static string Interval(ScoreComparison score) =>
        score.Value.Resampled.Count == 0 ? "" : F($" (95 % CI {score.Value.Lower:0.####} to {score.Value.Upper:0.####})");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Threshold(string Kind, double Limit, double Estimate, double Bound, IReadOnlyList<double> Resampled, Func<double, bool> Holds);

    private sealed record Prepared(ScoreComparison? Score, IReadOnlyList<Threshold> Checks, double PValue);
}
