using Whetstone.Datasets.Overlap;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Tests.Overlap;

public sealed class TrainTestOverlapTest
{
    private static readonly DatasetRecord[] Train =
    [
        new TextRecord("Standard shipping takes five to seven business days and is free above fifty dollars."),
        new TextRecord("Orders can be cancelled within two hours of being placed, after that please return them."),
        new TextRecord("Refunds go back to the original payment method within five business days."),
    ];

    [Fact]
    public void Disjoint_sets_have_no_overlap()
    {
        var report = TrainTestOverlap.Measure(Train, [new TextRecord("Gift cards cannot be returned."), new TextRecord("Support is closed on Sundays.")]);
        Assert.Equal(new OverlapReport(2, 0, 0), report);
    }

    [Fact]
    public void Copied_and_lightly_edited_test_records_count_as_overlap()
    {
        DatasetRecord[] test =
        [
            new TextRecord("Standard shipping takes five to seven business days and is free above fifty dollars!"),
            new TextRecord("refunds go back to the original payment method within five business days."),
            new TextRecord("Gift cards cannot be returned."),
            new TextRecord("Support is closed on Sundays."),
        ];
        Assert.Equal(new OverlapReport(4, 2, 0.5), TrainTestOverlap.Measure(Train, test));
    }

    [Fact]
    public void Formats_can_differ_only_the_text_counts()
    {
        var chat = new ChatRecord([new(ChatRole.User, "Orders can be cancelled within two hours of being placed,"), new(ChatRole.Assistant, "after that please return them.")]);
        Assert.Equal(1, TrainTestOverlap.Measure(Train, [chat]).Overlapping);
    }

    [Fact]
    public void An_empty_test_set_has_zero_overlap() => Assert.Equal(new OverlapReport(0, 0, 0), TrainTestOverlap.Measure(Train, []));
}
