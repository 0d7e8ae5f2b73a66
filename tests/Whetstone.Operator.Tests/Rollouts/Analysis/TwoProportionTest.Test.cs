using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Operator.Rollouts.Analysis;

namespace Whetstone.Operator.Tests.Rollouts.Analysis;

public sealed class TwoProportionTestTest
{
    private static readonly (long Sc, long Nc, long Ss, long Ns, double Delta, double Confidence)[] Cases =
    [
        (540, 1000, 600, 1000, 0.02, 0.95),
        (600, 1000, 600, 1000, 0.02, 0.95),
        (2900, 5000, 3000, 5000, 0.02, 0.95),
        (1210, 2000, 6100, 10000, 0.05, 0.99),
        (45, 600, 120, 800, 0.0, 0.9),
        (0, 700, 3, 900, 0.02, 0.95),
        (800, 800, 790, 800, 0.01, 0.95),
        (4100, 5000, 3900, 5000, 0.02, 0.8),
    ];

    [Fact]
    public void Statistics_equal_an_independent_SciPy_computation_on_fixed_inputs()
    {
        var input = new JsonArray(Cases.Select(c => (JsonNode)new JsonObject
        {
            ["canary"] = new JsonArray(c.Sc, c.Nc),
            ["stable"] = new JsonArray(c.Ss, c.Ns),
            ["delta"] = c.Delta,
            ["confidence"] = c.Confidence,
            ["rho"] = 0.1,
        }).ToArray());
        var expected = ScipyReference.Run("two_proportion_reference.py", input).AsArray();

        for (var i = 0; i < Cases.Length; i++)
        {
            var c = Cases[i];
            var outcome = TwoProportionTest.Compare(new(c.Sc, c.Nc), new(c.Ss, c.Ns), new(c.Delta, c.Confidence, 1));
            var reference = expected[i]!;
            AssertClose((double)reference["difference"]!, outcome.Difference, 1e-12, i, "difference");
            AssertClose((double)reference["variance"]!, outcome.Variance, 1e-12, i, "variance");
            AssertClose((double)reference["z"]!, outcome.Z, 1e-9, i, "z");
            AssertClose((double)reference["log_lr"]!, outcome.LogLikelihoodRatio, 1e-6, i, "log LR");
            AssertClose((double)reference["threshold"]!, outcome.Threshold, 1e-12, i, "threshold");
            var referenceVerdict = (double)reference["log_lr"]! < (double)reference["threshold"]! ? AnalysisVerdicts.Inconclusive
                : (double)reference["difference"]! < 0 ? AnalysisVerdicts.Failed : AnalysisVerdicts.Passed;
            Assert.Equal(referenceVerdict, outcome.Verdict);
        }
    }

    [Fact]
    public void A_clearly_worse_canary_fails_and_a_clearly_better_one_passes()
    {
        var worse = TwoProportionTest.Compare(new(2500, 5000), new(3000, 5000), ComparisonSettings.Default);
        var better = TwoProportionTest.Compare(new(3300, 5000), new(3000, 5000), ComparisonSettings.Default);

        Assert.Equal((AnalysisVerdicts.Failed, TwoProportionTest.Worse), (worse.Verdict, worse.Reason));
        Assert.Equal((AnalysisVerdicts.Passed, TwoProportionTest.NotWorse), (better.Verdict, better.Reason));
        Assert.InRange(worse.AlwaysValidPValue, 0, 0.05);
    }

    [Fact]
    public void Fewer_attempts_than_minSamples_are_inconclusive_however_large_the_difference()
    {
        var outcome = TwoProportionTest.Compare(new(0, 499), new(499, 499), ComparisonSettings.Default);

        Assert.Equal((AnalysisVerdicts.Inconclusive, TwoProportionTest.TooFewSamples), (outcome.Verdict, outcome.Reason));
    }

    [Fact]
    public void No_attempts_at_all_are_inconclusive_not_an_error()
    {
        var outcome = TwoProportionTest.Compare(new(0, 0), new(0, 0), ComparisonSettings.Default);

        Assert.Equal((AnalysisVerdicts.Inconclusive, TwoProportionTest.TooFewSamples), (outcome.Verdict, outcome.Reason));
    }

    [Theory]
    [InlineData(11, 10)]
    [InlineData(-1, 10)]
    [InlineData(double.NaN, 10)]
    [InlineData(5, double.PositiveInfinity)]
    public void Impossible_counts_are_an_error(double successes, double total)
    {
        var outcome = TwoProportionTest.Compare(new(successes, total), new(600, 1000), ComparisonSettings.Default);

        Assert.Equal((AnalysisVerdicts.Error, TwoProportionTest.InvalidCounts), (outcome.Verdict, outcome.Reason));
    }

    [Fact]
    public void An_equal_canary_with_modest_data_is_not_yet_decided()
    {
        var outcome = TwoProportionTest.Compare(new(600, 1000), new(600, 1000), ComparisonSettings.Default);

        Assert.Equal((AnalysisVerdicts.Inconclusive, TwoProportionTest.NotYetDecided), (outcome.Verdict, outcome.Reason));
    }

    private static void AssertClose(double expected, double actual, double relative, int index, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)),
            $"case {index}: {what} {actual} differs from SciPy's {expected}");
}
