using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Tests.Preprocessing;

public sealed class TextNormalizerTest
{
    [Theory]
    [InlineData("  hello \t  world  ", "hello world")]
    [InlineData("line one  \r\nline two", "line one\nline two")]
    [InlineData("para one\n\n\n\npara two", "para one\n\npara two")]
    [InlineData("no\u00A0break\u3000space", "no break space")]
    [InlineData("zero\u200Bwidth\uFEFF", "zerowidth")]
    [InlineData("ｏｒｄｅｒ　ＮＷ－１２３", "order NW-123")]
    [InlineData("bell\u0007", "bell")]
    [InlineData("", "")]
    public void Normalizes_unicode_and_whitespace(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));
}
