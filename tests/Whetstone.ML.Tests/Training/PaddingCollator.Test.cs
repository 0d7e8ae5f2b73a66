using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

public sealed class PaddingCollatorTest
{
    [Fact]
    public void Examples_are_right_padded_with_a_mask_and_only_targets_labelled()
    {
        var collator = new PaddingCollator(PadTokenId: 0, MaxSequenceLength: 16);
        TrainingExample[] examples =
        [
            new([5, 6, 7, 8], [false, false, true, true]),
            new([9, 10], [false, true]),
        ];
        using var batch = collator.Collate(examples);
        Assert.Equal([2L, 4L], batch.InputIds.shape);
        Assert.Equal([5L, 6, 7, 8, 9, 10, 0, 0], batch.InputIds.data<long>().ToArray());
        Assert.Equal([1L, 1, 1, 1, 1, 1, 0, 0], batch.AttentionMask.data<long>().ToArray());
        Assert.Equal([-100L, -100, 7, 8, -100, 10, -100, -100], batch.Labels.data<long>().ToArray());
        Assert.Equal(6, batch.TokenCount);
        Assert.Equal(3, batch.TargetCount);
    }

    [Fact]
    public void Long_examples_are_truncated_to_the_maximum_length()
    {
        var collator = new PaddingCollator(0, MaxSequenceLength: 3);
        using var batch = collator.Collate([TrainingExample.AllTokens([1, 2, 3, 4, 5])]);
        Assert.Equal([1L, 2, 3], batch.InputIds.data<long>().ToArray());
        Assert.Equal(2, batch.TargetCount);
    }

    [Fact]
    public void A_loss_mask_of_the_wrong_length_names_the_example()
    {
        var error = Assert.Throws<ArgumentException>(() => new TrainingExample([1, 2, 3], [true]).Validate(7));
        Assert.Contains("example 7", error.Message, StringComparison.Ordinal);
    }
}
