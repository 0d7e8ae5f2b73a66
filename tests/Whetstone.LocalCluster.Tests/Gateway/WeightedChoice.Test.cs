using Whetstone.LocalCluster.Gateway;

namespace Whetstone.LocalCluster.Tests.Gateway;

public sealed class WeightedChoiceTest
{
    [Fact]
    public void A_zero_weight_is_never_chosen_and_all_zero_weights_choose_nothing()
    {
        var choice = new WeightedChoice(seed: 1);

        Assert.All(Enumerable.Range(0, 200), _ => Assert.Equal(1, choice.Choose([0, 5, 0])));
        Assert.Null(choice.Choose([0, 0]));
    }

    [Fact]
    public void The_same_seed_replays_the_same_choices()
    {
        var first = new WeightedChoice(seed: 42);
        var second = new WeightedChoice(seed: 42);

        var a = Enumerable.Range(0, 100).Select(_ => first.Choose([80, 20])).ToList();
        var b = Enumerable.Range(0, 100).Select(_ => second.Choose([80, 20])).ToList();

        Assert.Equal(a, b);
        Assert.Contains(0, a.Cast<int>());
        Assert.Contains(1, a.Cast<int>());
    }
}
