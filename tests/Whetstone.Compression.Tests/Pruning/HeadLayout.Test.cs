using Whetstone.Compression.Pruning;

namespace Whetstone.Compression.Tests.Pruning;

public sealed class HeadLayoutTest
{
    [Theory]
    [InlineData(4, 2, 0.5, 2, 1)]   // tie between 2x1 and 1x2: the key/value heads stay
    [InlineData(4, 2, 0.1, 2, 2)]   // nearest to 3.6 heads is all 4
    [InlineData(4, 2, 0.8, 1, 1)]
    [InlineData(8, 8, 0.3, 6, 1)]   // plain multi-head attention: round(8 × 0.7) heads
    [InlineData(8, 2, 0.25, 2, 3)]
    [InlineData(4, 4, 0.99, 1, 1)]  // at least one head stays
    public void The_layout_kept_is_the_one_nearest_the_asked_fraction(int heads, int kvHeads, double sparsity, int keptKv, int perGroup)
    {
        var layout = HeadLayout.Choose(heads, kvHeads, sparsity);

        Assert.Equal(new HeadLayout(keptKv, perGroup), layout);
    }
}
