namespace Whetstone.ModelRuntime.Tests;

public sealed class ContinuationScoreTest
{
    [Fact]
    public void Mean_divides_the_sum_by_the_token_count()
    {
        var score = new ContinuationScore([-1f, -2f, -3f]);
        Assert.Equal(-6.0, score.Sum, 6);
        Assert.Equal(-2.0, score.Mean, 6);
    }

    [Fact]
    public void An_empty_continuation_has_mean_zero_rather_than_nan()
    {
        Assert.Equal(0.0, new ContinuationScore([]).Mean);
    }
}
