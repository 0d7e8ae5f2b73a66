using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

public sealed class DataOrderTest
{
    [Fact]
    public void The_same_seed_and_epoch_give_the_same_order()
        => Assert.Equal(DataOrder.Shuffle(42, 3, 50), DataOrder.Shuffle(42, 3, 50));

    [Fact]
    public void Each_epoch_has_its_own_order_and_every_example_once()
    {
        var first = DataOrder.Shuffle(42, 0, 50);
        var second = DataOrder.Shuffle(42, 1, 50);
        Assert.NotEqual(first, second);
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(Enumerable.Range(0, 50), second.Order());
    }

    [Fact]
    public void A_different_seed_gives_a_different_order()
        => Assert.NotEqual(DataOrder.Shuffle(1, 0, 50), DataOrder.Shuffle(2, 0, 50));
}
