using System.Text.Json.Nodes;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Scoring;

namespace Whetstone.Evaluation.Tests.Gates;

public sealed class GateEvaluatorTest
{
    // 200 items: the baseline gets 150 right; the model loses `lost` of those and wins `won` others.
    private static (SuiteMeasurement Model, SuiteMeasurement Baseline) Paired(int lost, int won)
    {
        var baseline = Enumerable.Range(0, 200).Select(i => i < 150).ToArray();
        var model = baseline.Select((b, i) => i < lost ? false : i >= 150 && i < 150 + won ? true : b).ToArray();
        return (Measurement(model), Measurement(baseline));
    }

    private static SuiteMeasurement Measurement(bool[] correct) =>
        new("general", "multipleChoice", correct.Length, [new MetricSeries("accuracy", ix => ix.Count(i => correct[i]) / (double)ix.Count, correct)], [], new JsonObject());

    private static GateOutcome Decide(int lost, int won, GateDecision decision, double maxRegression = 0.02)
    {
        var (model, baseline) = Paired(lost, won);
        var scores = new ScoreComparer(1000, 1).Compare(model, baseline);
        return GateEvaluator.Evaluate([new GateSpec("general", "accuracy", MaxRegression: maxRegression, Decision: decision)], scores)[0];
    }

    [Fact]
    public void A_small_regression_beyond_the_threshold_fails_the_point_estimate_but_not_the_significance_rule()
    {
        // 6 lost, 0 won: accuracy 0.72 against 0.75, a regression of 0.03 > 0.02, but only 6 discordant pairs.
        var point = Decide(6, 0, GateDecision.PointEstimate);
        Assert.False(point.Passed);
        Assert.Equal(0.03, point.Value!.Value, 1e-12);
        Assert.Contains("regressed by 0.03", point.Message, StringComparison.Ordinal);

        var significant = Decide(6, 0, GateDecision.Significant);
        Assert.True(significant.Passed, significant.Message);
        Assert.True(significant.PValue > 0.05);
    }

    [Fact]
    public void A_large_regression_is_significant_and_a_lossless_model_is_non_inferior_only_with_enough_items()
    {
        var large = Decide(30, 0, GateDecision.Significant, maxRegression: 0);
        Assert.False(large.Passed);
        Assert.True(large.PValue < 0.001, large.Message);

        // Equal on every item: the interval is [0, 0], so non-inferiority holds.
        Assert.True(Decide(0, 0, GateDecision.NonInferior).Passed);

        // 8 lost and 8 won: no change on average, but the interval's lower end is below -0.02.
        var noisy = Decide(8, 8, GateDecision.NonInferior);
        Assert.False(noisy.Passed, noisy.Message);
        Assert.True(Decide(8, 8, GateDecision.PointEstimate).Passed);
    }

    [Fact]
    public void A_gate_on_a_metric_that_was_not_measured_fails_and_says_so()
    {
        var (model, baseline) = Paired(0, 0);
        var outcome = GateEvaluator.Evaluate([new GateSpec("speed", "latencyP99Ms", Max: 200)], new ScoreComparer(100, 1).Compare(model, baseline))[0];
        Assert.False(outcome.Passed);
        Assert.Contains("was not measured", outcome.Message, StringComparison.Ordinal);
    }
}
