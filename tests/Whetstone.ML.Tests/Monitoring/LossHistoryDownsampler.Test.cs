using Whetstone.ML.Monitoring;

namespace Whetstone.ML.Tests.Monitoring;

public sealed class LossHistoryDownsamplerTest
{
    private static List<LossPoint> Curve(int count) => [.. Enumerable.Range(1, count).Select(s => new LossPoint(s, 10.0 / s, null))];

    [Fact]
    public void A_curve_that_fits_is_returned_whole()
    {
        var curve = Curve(100);
        Assert.Equal(curve, LossHistoryDownsampler.Downsample(curve, 100));
    }

    [Theory]
    [InlineData(101)]
    [InlineData(1000)]
    [InlineData(12345)]
    public void A_long_curve_is_cut_to_the_maximum_keeping_first_and_last(int count)
    {
        var curve = Curve(count);
        var bounded = LossHistoryDownsampler.Downsample(curve, 100);
        Assert.Equal(100, bounded.Count);
        Assert.Equal(1, bounded[0].Step);
        Assert.Equal(count, bounded[^1].Step);
        Assert.Equal(bounded.Count, bounded.Select(p => p.Step).Distinct().Count());
    }

    [Fact]
    public void Kept_points_are_evenly_spaced()
    {
        var bounded = LossHistoryDownsampler.Downsample(Curve(991), 100);
        var gaps = bounded.Zip(bounded.Skip(1), (a, b) => b.Step - a.Step).ToList();
        Assert.All(gaps, gap => Assert.Equal(10, gap));
    }

    [Fact]
    public void Fewer_than_two_points_is_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => LossHistoryDownsampler.Downsample(Curve(5), 1));
}
