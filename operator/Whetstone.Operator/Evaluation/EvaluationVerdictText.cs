using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Evaluation;

/// <summary>An EvaluationRun's verdict in words, for the status message and the GatesPassed condition (pure).</summary>
public static class EvaluationVerdictText
{
    /// <summary>
    /// <c>verdict Passed: 3 of 3 gates passed</c>; <c>verdict Failed: 1 of 3 gates failed: general/accuracy (…)</c>
    /// naming every failed gate with the worker's message; <c>verdict Passed: no gates</c> without gates.
    /// </summary>
    public static string Describe(string verdict, IEnumerable<GateResult>? gates)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var all = gates?.ToList() ?? [];
        if (all.Count == 0)
        {
            return $"verdict {verdict}: no gates";
        }

        var failed = all.Where(g => g.Passed != true).ToList();
        if (failed.Count == 0)
        {
            return $"verdict {verdict}: {all.Count} of {all.Count} gates passed";
        }

        var named = failed.Select(g => $"{g.Suite}/{g.Metric}" + (string.IsNullOrEmpty(g.Message) ? string.Empty : $" ({g.Message})"));
        return $"verdict {verdict}: {failed.Count} of {all.Count} gates failed: {string.Join("; ", named)}";
    }
}
