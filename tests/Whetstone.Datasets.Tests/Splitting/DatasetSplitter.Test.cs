using Whetstone.Datasets.Records;
using Whetstone.Datasets.Splitting;

namespace Whetstone.Datasets.Tests.Splitting;

public sealed class DatasetSplitterTest
{
    private static readonly SplitOptions Default = new();

    private static List<DatasetRecord> Texts(int count) =>
        Enumerable.Range(0, count).Select(i => (DatasetRecord)new TextRecord($"record {i}")).ToList();

    [Fact]
    public void Sizes_follow_the_fractions_and_nothing_is_lost()
    {
        var records = Texts(1000);
        var split = DatasetSplitter.Split(records, Default, stratifyByLabel: false);
        Assert.Equal((800, 100, 100), (split.Train.Count, split.Validation.Count, split.Test.Count));
        Assert.Equal(
            records.Select(RecordJson.ToJson).Order(StringComparer.Ordinal),
            split.Train.Concat(split.Validation).Concat(split.Test).Select(RecordJson.ToJson).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var records = Texts(500);
        var first = DatasetSplitter.Split(records, Default, false);
        var again = DatasetSplitter.Split(records, Default, false);
        var other = DatasetSplitter.Split(records, Default with { Seed = 7 }, false);
        Assert.Equal(first.Test, again.Test);
        Assert.Equal(first.Train, again.Train);
        Assert.NotEqual(first.Test, other.Test);
    }

    [Fact]
    public void The_split_does_not_depend_on_input_order_or_threads()
    {
        var records = Texts(300);
        var expected = DatasetSplitter.Split(records, Default, false);
        var shuffled = records.OrderBy(record => RecordJson.ToJson(record).GetHashCode(StringComparison.Ordinal)).ToList();
        var results = new SplitResult[4];
        Parallel.For(0, results.Length, i => results[i] = DatasetSplitter.Split(i % 2 == 0 ? records : shuffled, Default, false));
        foreach (var result in results)
        {
            Assert.Equal(expected.Test, result.Test);
            Assert.Equal(expected.Validation, result.Validation);
        }
    }

    [Fact]
    public void Records_are_shuffled_not_kept_in_input_order()
    {
        var split = DatasetSplitter.Split(Texts(200), new SplitOptions { Train = 1, Validation = 0, Test = 0 }, false);
        Assert.NotEqual(Texts(200), split.Train);
    }

    [Fact]
    public void Stratification_keeps_label_proportions_in_every_split()
    {
        // 70 % "a", 20 % "b", 10 % "c"
        var records = Enumerable.Range(0, 1000)
            .Select(i => (DatasetRecord)new ClassificationRecord($"text {i}", i % 10 < 7 ? "a" : i % 10 < 9 ? "b" : "c"))
            .ToList();
        var split = DatasetSplitter.Split(records, new SplitOptions { Train = 0.6, Validation = 0.2, Test = 0.2 }, stratifyByLabel: true);
        foreach (var (records_, size) in new[] { (split.Train, 600), (split.Validation, 200), (split.Test, 200) })
        {
            Assert.Equal(size, records_.Count);
            var labels = records_.Cast<ClassificationRecord>().GroupBy(record => record.Label).ToDictionary(group => group.Key, group => group.Count());
            Assert.InRange(labels["a"], (size * 0.7) - 1, (size * 0.7) + 1);
            Assert.InRange(labels["b"], (size * 0.2) - 1, (size * 0.2) + 1);
            Assert.InRange(labels["c"], (size * 0.1) - 1, (size * 0.1) + 1);
        }
    }

    [Fact]
    public void A_rare_label_still_reaches_the_test_split_when_stratified()
    {
        var records = Enumerable.Range(0, 100)
            .Select(i => (DatasetRecord)new ClassificationRecord($"text {i}", i < 10 ? "rare" : "common"))
            .ToList();
        var split = DatasetSplitter.Split(records, Default, stratifyByLabel: true);
        Assert.Equal(1, split.Test.Cast<ClassificationRecord>().Count(record => record.Label == "rare"));
        Assert.Equal(8, split.Train.Cast<ClassificationRecord>().Count(record => record.Label == "rare"));
    }
}
