using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Tests.Preprocessing;

public sealed class ChineseIdNumberTest
{
    [Theory]
    [InlineData("11010519491231002X")] // the example in GB 11643-1999
    [InlineData("11010519491231002x")]
    public void Accepts_a_number_with_a_valid_checksum_and_date(string value) => Assert.True(ChineseIdNumber.IsValid(value));

    [Fact]
    public void Check_character_follows_ISO_7064_MOD_11_2() => Assert.Equal('X', ChineseIdNumber.CheckCharacter("11010519491231002"));

    [Theory]
    [InlineData("110105194912310021")] // wrong check character
    [InlineData("110105194912310020")]
    [InlineData("11010519491231002")]  // 17 characters
    [InlineData("1101051949123100211")] // 19 characters
    [InlineData("010105194912310021")] // region cannot start with 0
    [InlineData("1101051949123100A1")]
    public void Rejects_malformed_or_wrong_checksum(string value) => Assert.False(ChineseIdNumber.IsValid(value));

    [Theory]
    [InlineData("19490230")] // 30 February
    [InlineData("18991231")] // before 1900
    [InlineData("19491301")] // month 13
    public void Rejects_an_implausible_birth_date_even_with_a_valid_checksum(string date)
    {
        var first17 = "110105" + date + "002";
        Assert.False(ChineseIdNumber.IsValid(first17 + ChineseIdNumber.CheckCharacter(first17)));
    }
}
