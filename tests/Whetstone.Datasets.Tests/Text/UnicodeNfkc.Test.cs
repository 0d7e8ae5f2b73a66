using Whetstone.Datasets.Text;

namespace Whetstone.Datasets.Tests.Text;

public sealed class UnicodeNfkcTest
{
    [Theory]
    [InlineData("ｆｕｌｌｗｉｄｔｈ １２３", "fullwidth 123")]
    [InlineData("\uFB01le", "file")]                      // ligature
    [InlineData("\u2460\u2461", "12")]                   // circled digits
    [InlineData("cafe\u0301", "caf\u00E9")]               // combining accent composes
    [InlineData("\u00C5", "\u00C5")]                      // already composed stays
    [InlineData("\u212B", "\u00C5")]                      // angstrom sign → Å
    [InlineData("a\u0323\u0307", "\u1EA1\u0307")]         // canonical ordering then composition
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]          // Hangul jamo compose
    [InlineData("\uAC01", "\uAC01")]                      // Hangul syllable round-trips
    [InlineData("\u3000中文\uFF0C测试", " 中文,测试")]     // ideographic space and full-width comma
    [InlineData("x\u00B2", "x2")]                         // superscript
    [InlineData("plain ascii", "plain ascii")]
    public void Normalizes_to_form_KC(string input, string expected) =>
        Assert.Equal(expected, UnicodeNfkc.Normalize(input));

    [Fact]
    public void Supplementary_plane_compatibility_characters_are_mapped() =>
        Assert.Equal("A", UnicodeNfkc.Normalize("\U0001D400")); // MATHEMATICAL BOLD CAPITAL A
}
