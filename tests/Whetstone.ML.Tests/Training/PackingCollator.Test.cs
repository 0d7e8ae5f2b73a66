using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

public sealed class PackingCollatorTest
{
    [Fact]
    public void Short_examples_share_rows_as_long_as_the_longest_with_segments_and_restarting_positions()
    {
        var collator = new PackingCollator(PadTokenId: 0, MaxSequenceLength: 16);
        TrainingExample[] examples =
        [
            new([5, 6, 7], [false, true, true]),
            new([9, 10, 11, 12, 13], [false, false, true, true, true]),
            new([20, 21], [true, true]),
        ];
        using var batch = collator.Collate(examples);

        // Longest (5 tokens) gets row 0 alone; the 3- and 2-token examples fill row 1 exactly.
        Assert.Equal([2L, 5L], batch.InputIds.shape);
        Assert.Equal([9L, 10, 11, 12, 13, 5, 6, 7, 20, 21], batch.InputIds.data<long>().ToArray());
        Assert.Equal([1L, 1, 1, 1, 1, 1, 1, 1, 2, 2], batch.SegmentIds!.data<long>().ToArray());
        Assert.Equal([0L, 1, 2, 3, 4, 0, 1, 2, 0, 1], batch.PositionIds!.data<long>().ToArray());

        // The first token of the second example in row 1 (21's predecessor is 7, another example) is no target.
        Assert.Equal([-100L, -100, 11, 12, 13, -100, 6, 7, -100, 21], batch.Labels.data<long>().ToArray());
        Assert.Equal(10, batch.TokenCount);
        Assert.Equal(6, batch.TargetCount);
        Assert.Equal(MaskedLossTargets(examples), batch.TargetCount);
    }

    [Fact]
    public void Packing_never_uses_more_rows_than_padding()
    {
        var random = new Random(4);
        var examples = Enumerable.Range(0, 40).Select(_ => TrainingExample.AllTokens([.. Enumerable.Range(0, random.Next(2, 60)).Select(i => i + 1)])).ToList();
        var placements = new PackingCollator(0, MaxSequenceLength: 48).Place(examples);
        var rows = placements.Max(p => p.Row) + 1;
        Assert.InRange(rows, 1, examples.Count - 1);
        foreach (var row in placements.GroupBy(p => p.Row))
        {
            var ordered = row.OrderBy(p => p.Offset).ToList();
            Assert.True(ordered.Zip(ordered.Skip(1)).All(pair => pair.First.Offset + pair.First.Length == pair.Second.Offset), "examples in a row are contiguous");
            Assert.True(ordered[^1].Offset + ordered[^1].Length <= 48);
        }
    }

    [Fact]
    public void A_padding_position_may_attend_only_to_itself_and_tokens_never_across_examples()
    {
        using var segments = TorchSharp.torch.tensor(new long[] { 1, 1, 2, 2, 0 }, [1, 5]);
        using var mask = PackedLlamaForward.BuildMask(segments);
        var allowed = mask.data<bool>().ToArray();
        bool[] expected =
        [
            true, false, false, false, false,
            true, true, false, false, false,
            false, false, true, false, false,
            false, false, true, true, false,
            false, false, false, false, true,
        ];
        Assert.Equal(expected, allowed);
    }

    private static long MaskedLossTargets(IEnumerable<TrainingExample> examples) =>
        examples.Sum(e => e.LossMask.Skip(1).Count(m => m));
}
