using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Tests.Preprocessing;

public sealed class LuhnChecksumTest
{
    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("5555555555554444")]
    [InlineData("378282246310005")]
    [InlineData("6011111111111117")]
    [InlineData("79927398713")]
    public void Accepts_valid_numbers(string digits) => Assert.True(LuhnChecksum.IsValid(digits));

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("5555555555554440")]
    [InlineData("79927398710")]
    [InlineData("")]
    [InlineData("4111 1111")]
    public void Rejects_invalid_numbers(string digits) => Assert.False(LuhnChecksum.IsValid(digits));
}
