using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Tests.Preprocessing;

public sealed class BlockedTermFilterTest
{
    [Theory]
    [InlineData("my PASSWORD is x")]
    [InlineData("ｐａｓｓｗｏｒｄ")]
    [InlineData("passwords")]
    public void Finds_a_blocked_term_in_any_case_and_width(string text) =>
        Assert.True(new BlockedTermFilter(["password"]).ContainsBlockedTerm(text));

    [Theory]
    [InlineData("pass word")]
    [InlineData("sign-in link")]
    public void Leaves_other_text(string text) => Assert.False(new BlockedTermFilter(["password"]).ContainsBlockedTerm(text));

    [Fact]
    public void No_terms_block_nothing() =>
        Assert.False(new BlockedTermFilter([]).IsBlocked(new Whetstone.Datasets.Records.TextRecord("password")));
}
