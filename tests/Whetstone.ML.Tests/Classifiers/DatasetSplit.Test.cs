using Whetstone.ML.Classifiers;

namespace Whetstone.ML.Tests.Classifiers;

public sealed class DatasetSplitTest
{
    private static readonly int[] Classes = [.. Enumerable.Range(0, 300).Select(i => i < 200 ? 0 : 1)];

    [Fact]
    public void A_stratified_split_keeps_each_class_share_in_every_part_and_uses_each_row_once()
    {
        var split = DatasetSplit.Stratified(Classes, 0.1, 0.2, seed: 4);

        Assert.Equal(Enumerable.Range(0, 300), split.Train.Concat(split.Validation).Concat(split.Test).Order());
        Assert.Equal(40, split.Test.Count(i => Classes[i] == 0));
        Assert.Equal(20, split.Test.Count(i => Classes[i] == 1));
        Assert.Equal(20, split.Validation.Count(i => Classes[i] == 0));
        Assert.Equal(10, split.Validation.Count(i => Classes[i] == 1));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var first = DatasetSplit.Stratified(Classes, 0.1, 0.2, seed: 4);
        var again = DatasetSplit.Stratified(Classes, 0.1, 0.2, seed: 4);
        var other = DatasetSplit.Stratified(Classes, 0.1, 0.2, seed: 5);

        Assert.Equal(first.Test, again.Test);
        Assert.NotEqual(first.Test, other.Test);
    }
}
