using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Tests.Preprocessing;

public sealed class NearDuplicateIndexTest
{
    private const string Original =
        "Hi, where is my order NW-104233? I ordered the Ridgeline 2 tent last week and have not heard anything since. Thanks!";

    [Fact]
    public void A_small_edit_is_a_near_duplicate()
    {
        var edited = Original.Replace("Thanks!", "Thank you!", StringComparison.Ordinal);
        Assert.InRange(Shingles.Jaccard(Shingles.Of(Original, 5), Shingles.Of(edited, 5)), 0.85, 1.0);
        var index = new NearDuplicateIndex(new NearDuplicateOptions());
        Assert.Equal(-1, index.AddIfNew(index.ShinglesOf(Original)));
        Assert.Equal(0, index.AddIfNew(index.ShinglesOf(edited)));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void A_different_text_on_the_same_topic_is_not()
    {
        const string other = "Hello, can you tell me when order NW-200871 ships? It's the Summit 45L backpack for my trip.";
        Assert.True(Shingles.Jaccard(Shingles.Of(Original, 5), Shingles.Of(other, 5)) < 0.85);
        var index = new NearDuplicateIndex(new NearDuplicateOptions());
        index.AddIfNew(index.ShinglesOf(Original));
        Assert.Equal(-1, index.AddIfNew(index.ShinglesOf(other)));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void The_threshold_decides_at_the_boundary()
    {
        // Same pair, measured similarity s: found at threshold s, not at threshold just above s. (The pair is
        // similar enough that LSH proposes it; at lower similarity the candidate step itself is probabilistic.)
        var edited = Original.Replace("last week", "last Monday", StringComparison.Ordinal);
        var similarity = Shingles.Jaccard(Shingles.Of(Original, 5), Shingles.Of(edited, 5));
        Assert.InRange(similarity, 0.85, 0.95);
        foreach (var (threshold, expected) in new[] { (similarity, 0), (similarity + 0.01, -1) })
        {
            var index = new NearDuplicateIndex(new NearDuplicateOptions { Threshold = threshold });
            index.Add(index.ShinglesOf(Original));
            Assert.Equal(expected, index.FindSimilar(index.ShinglesOf(edited)));
        }
    }

    [Fact]
    public void Case_and_whitespace_do_not_change_shingles() =>
        Assert.Equal(Shingles.Of("Hello   World", 5), Shingles.Of("hello world", 5));

    [Fact]
    public void Bands_must_divide_permutations() =>
        Assert.Throws<DatasetOptionsException>(() => new NearDuplicateIndex(new NearDuplicateOptions { Permutations = 100, Bands = 16 }));

    [Fact]
    public void Every_small_edit_of_hundreds_of_real_records_is_found_and_nothing_else_is()
    {
        var texts = Whetstone.Datasets.Generation.SupportDatasetGenerator.Generate(11, 300).Chat
            .Select(record => record.ContentText).Distinct().ToList();
        var index = new NearDuplicateIndex(new NearDuplicateOptions());
        var originals = new List<string>();
        foreach (var text in texts)
        {
            if (index.AddIfNew(index.ShinglesOf(text)) < 0)
            {
                originals.Add(text);
            }
        }

        var found = 0;
        foreach (var text in originals)
        {
            var edited = text.Replace("order", "purchase", StringComparison.Ordinal) + " Thanks again.";
            var similarity = Shingles.Jaccard(index.ShinglesOf(text), index.ShinglesOf(edited));
            var match = index.FindSimilar(index.ShinglesOf(edited));
            if (similarity >= 0.9)
            {
                Assert.True(match >= 0, $"missed a pair at Jaccard {similarity:F3}");
                found++;
            }

            if (match >= 0)
            {
                Assert.True(similarity >= 0.85 || Shingles.Jaccard(index.ShinglesOf(originals[match]), index.ShinglesOf(edited)) >= 0.85);
            }
        }

        Assert.True(found > 100, $"only {found} pairs at Jaccard ≥ 0.9; the test needs more");
    }
}
