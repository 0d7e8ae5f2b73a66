using Whetstone.Api;
using Xunit.Abstractions;
using Whetstone.Operator.Rollouts.Analysis;

namespace Whetstone.Operator.Tests.Rollouts.Analysis;

/// <summary>
/// The error rates of the comparison when it is repeated at every analysis interval, by simulation with a seeded
/// generator. Each simulated rollout looks after every 100 new attempts per track (an A/B split) at a stable
/// conversion of 0.6 with the API's defaults (δ = 0.02, confidence 0.95, minSamples 500) and is rolled back at the
/// first Failed look (failureLimit 0, the strictest).
/// </summary>
public sealed class SequentialLooksSimulationTest(ITestOutputHelper output)
{
    private const double StableRate = 0.6;
    private const int AttemptsPerLook = 100;
    private const int Rollouts = 400;

    /// <summary>The documented sample size: the decision on a 10 % worse canary comes within this many attempts per track.</summary>
    private const int DocumentedSampleSize = 5000;

    [Fact]
    public void An_identical_canary_is_rolled_back_in_at_most_5_percent_of_rollouts_across_every_look()
    {
        var random = new Random(20261204);
        var rolledBack = Enumerable.Range(0, Rollouts)
            .Count(_ => SimulateRollout(random, StableRate, StableRate, maxAttempts: 10_000) == AnalysisVerdicts.Failed);
        output.WriteLine($"identical canary: {rolledBack}/{Rollouts} rolled back within 10000 attempts per track");

        Assert.InRange(rolledBack / (double)Rollouts, 0, 0.05);
    }

    [Fact]
    public void A_canary_with_10_percent_lower_conversion_is_rolled_back_in_at_least_95_percent_within_the_documented_sample_size()
    {
        var random = new Random(17);
        var rolledBack = Enumerable.Range(0, Rollouts)
            .Count(_ => SimulateRollout(random, StableRate * 0.9, StableRate, DocumentedSampleSize) == AnalysisVerdicts.Failed);
        output.WriteLine($"canary 10 % worse: {rolledBack}/{Rollouts} rolled back within {DocumentedSampleSize} attempts per track");

        Assert.InRange(rolledBack / (double)Rollouts, 0.95, 1);
    }

    [Fact]
    public void A_single_fixed_horizon_threshold_repeated_at_every_look_would_roll_back_far_more_identical_canaries()
    {
        // The control: the same looks judged by a plain one-sided z-test at 0.05 each time (no correction) roll back
        // many identical canaries, which is the inflation the always-valid test prevents.
        var random = new Random(5);
        var rolledBack = 0;
        for (var r = 0; r < Rollouts; r++)
        {
            var (canary, stable) = (0L, 0L);
            for (var n = AttemptsPerLook; n <= 10_000; n += AttemptsPerLook)
            {
                canary += Draw(random, StableRate, AttemptsPerLook);
                stable += Draw(random, StableRate, AttemptsPerLook);
                var outcome = TwoProportionTest.Compare(new(canary, n), new(stable, n), new(0, 0.95, 500));
                if (n >= 500 && outcome.Z < -1.6448536269514722)
                {
                    rolledBack++;
                    break;
                }
            }
        }

        output.WriteLine($"naive repeated z-test, identical canary: {rolledBack}/{Rollouts} rolled back");
        Assert.True(rolledBack / (double)Rollouts > 0.15, $"naive repeated z-tests rolled back only {rolledBack}/{Rollouts}");
    }

    private static string SimulateRollout(Random random, double canaryRate, double stableRate, int maxAttempts)
    {
        var (canary, stable) = (0L, 0L);
        for (var n = AttemptsPerLook; n <= maxAttempts; n += AttemptsPerLook)
        {
            canary += Draw(random, canaryRate, AttemptsPerLook);
            stable += Draw(random, stableRate, AttemptsPerLook);
            var verdict = TwoProportionTest.Compare(new(canary, n), new(stable, n), ComparisonSettings.Default).Verdict;
            if (verdict == AnalysisVerdicts.Failed)
            {
                return verdict;
            }
        }

        return AnalysisVerdicts.Inconclusive;
    }

    private static long Draw(Random random, double rate, int attempts)
    {
        var successes = 0L;
        for (var i = 0; i < attempts; i++)
        {
            successes += random.NextDouble() < rate ? 1 : 0;
        }

        return successes;
    }
}
