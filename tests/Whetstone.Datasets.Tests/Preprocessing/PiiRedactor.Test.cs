using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets.Tests.Preprocessing;

public sealed class PiiRedactorTest
{
    private static readonly PiiRedactor All = new(Enum.GetValues<PiiKind>());

    private static (string Text, RedactionTally Counts) Redact(string text, PiiRedactor? redactor = null)
    {
        var counts = new RedactionTally();
        return ((redactor ?? All).Redact(text, counts), counts);
    }

    [Theory]
    [InlineData("write to jane.doe+shop@example.co.uk please", "write to [EMAIL] please")]
    [InlineData("Mail: a_b@mail.example.org.", "Mail: [EMAIL].")]
    [InlineData("联系我：zhang.wei@example.cn，谢谢", "联系我：[EMAIL]，谢谢")]
    public void Redacts_email_addresses(string input, string expected)
    {
        var (text, counts) = Redact(input);
        Assert.Equal(expected, text);
        Assert.Equal(1, counts[PiiKind.Email]);
    }

    [Theory]
    [InlineData("+1 555 123 4567")]
    [InlineData("(555) 123-4567")]
    [InlineData("555-123-4567")]
    [InlineData("555.123.4567")]
    [InlineData("+1 (555) 123-4567")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+442079460958")]
    [InlineData("+15551234567")]
    [InlineData("+86 138 0013 8000")]
    [InlineData("+8613800138000")]
    [InlineData("13800138000")]
    [InlineData("138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("010-12345678")]
    [InlineData("0755-1234567")]
    [InlineData("(010) 12345678")]
    public void Redacts_phone_numbers_in_common_formats(string phone)
    {
        var (text, counts) = Redact($"Call me at {phone}, thanks");
        Assert.Equal("Call me at [PHONE], thanks", text);
        Assert.Equal(1, counts[PiiKind.Phone]);
    }

    [Fact]
    public void Redacts_a_Chinese_mobile_number_inside_Chinese_text()
    {
        var (text, counts) = Redact("我的手机号是13912345678，请回电");
        Assert.Equal("我的手机号是[PHONE]，请回电", text);
        Assert.Equal(1, counts[PiiKind.Phone]);
    }

    [Theory]
    [InlineData("The tent costs $229.00 and ships in 5-7 days.")]
    [InlineData("Delivered on 2026-11-23 at 14:30.")]
    [InlineData("Order NW-104233 and order #100234567 are on the way.")]
    [InlineData("Your total is 1,299.99 USD for 3 items.")]
    [InlineData("Call before 1 pm ET, Monday to Friday 8 am-8 pm.")]
    [InlineData("Tracking 1Z999AA10123456784 is active.")]
    [InlineData("Version 12.04.2025 released.")]
    [InlineData("12345678901")] // 11 digits not starting with 1[3-9]
    public void Leaves_prices_dates_and_order_numbers_alone(string input)
    {
        var (text, counts) = Redact(input);
        Assert.Equal(input, text);
        Assert.Equal(new RedactionCounts(0, 0, 0, 0), counts.ToCounts());
    }

    [Fact]
    public void Redacts_a_valid_Chinese_ID_number_and_not_an_invalid_one()
    {
        var (text, counts) = Redact("ID 11010519491231002X and 110105194912310021");
        Assert.Equal("ID [ID_NUMBER] and 110105194912310021", text);
        Assert.Equal(1, counts[PiiKind.IdNumber]);
    }

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("3782 822463 10005")]
    [InlineData("6212 3456 7890 1234 569")]
    public void Redacts_card_numbers_that_pass_Luhn(string card)
    {
        Assert.True(LuhnChecksum.IsValid(string.Concat(card.Where(char.IsAsciiDigit))), "test data must be Luhn-valid");
        var (text, counts) = Redact($"card {card} please");
        Assert.Equal("card [BANK_CARD] please", text);
        Assert.Equal(1, counts[PiiKind.BankCard]);
    }

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("1234 5678 9012 3456")]
    public void Leaves_card_like_numbers_that_fail_Luhn(string card)
    {
        var (text, counts) = Redact($"ref {card}");
        Assert.Equal($"ref {card}", text);
        Assert.Equal(0, counts[PiiKind.BankCard]);
    }

    [Fact]
    public void A_trailing_number_after_a_grouped_card_stays_text()
    {
        var (text, _) = Redact("card 4111 1111 1111 1111 2 times");
        Assert.Equal("card [BANK_CARD] 2 times", text);
    }

    [Fact]
    public void Only_enabled_kinds_are_redacted()
    {
        var (text, counts) = Redact("a@example.com 13800138000", new PiiRedactor([PiiKind.Phone]));
        Assert.Equal("a@example.com [PHONE]", text);
        Assert.Equal(new RedactionCounts(0, 1, 0, 0), counts.ToCounts());
    }

    [Fact]
    public void Counts_every_kind_separately()
    {
        var (text, counts) = Redact("x@example.com, y@example.org, +44 20 7946 0958, 11010519491231002X, 4111111111111111");
        Assert.Equal("[EMAIL], [EMAIL], [PHONE], [ID_NUMBER], [BANK_CARD]", text);
        Assert.Equal(new RedactionCounts(2, 1, 1, 1), counts.ToCounts());
    }
}
