namespace Whetstone.Measurement.Tests;

public sealed class PercentilesTest
{
    // 1..20 shuffled: nearest rank of p is the value ceil(p/100 * 20).
    private static readonly double[] OneToTwenty = [7, 3, 20, 1, 15, 9, 12, 2, 18, 5, 11, 4, 16, 6, 19, 8, 13, 10, 17, 14];

    [Theory]
    [InlineData(50, 10)] // ceil(10) = 10
    [InlineData(95, 19)] // ceil(19) = 19
    [InlineData(99, 20)] // ceil(19.8) = 20
    [InlineData(0, 1)]
    [InlineData(100, 20)]
    [InlineData(51, 11)] // ceil(10.2) = 11
    public void Nearest_rank_percentiles_match_hand_computed_ranks(double percentile, double expected) =>
        Assert.Equal(expected, Percentiles.NearestRank(OneToTwenty, percentile));

    [Fact]
    public void Percentiles_of_few_samples_are_observed_values()
    {
        double[] samples = [4.0, 1.0, 3.0];

        Assert.Equal(3.0, Percentiles.NearestRank(samples, 50)); // ceil(1.5) = rank 2
        Assert.Equal(4.0, Percentiles.NearestRank(samples, 95));
    }

    [Fact]
    public void A_summary_reports_mean_min_max_and_percentiles()
    {
        var summary = LatencySummary.FromMilliseconds(OneToTwenty);

        Assert.Equal(new LatencySummary(20, 10.5, 1, 10, 19, 20, 20), summary);
    }

    [Fact]
    public void Empty_samples_and_out_of_range_percentiles_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.NearestRank([1.0], 101));
    }
}
