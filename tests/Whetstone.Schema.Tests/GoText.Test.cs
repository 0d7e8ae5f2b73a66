using System.Text.Json.Nodes;

namespace Whetstone.Schema.Tests;

public sealed class GoTextTest
{
    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.5, "0.5")]
    [InlineData(-2.25, "-2.25")]
    [InlineData(100000.0, "100000")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(123456789.0, "1.23456789e+08")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00002, "2e-05")]
    [InlineData(2.0e-4, "0.0002")]
    [InlineData(1e21, "1e+21")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(0.0, "0")]
    public void Floats_print_like_Go_percent_v(double value, string expected)
    {
        Assert.Equal(expected, GoText.Float(value));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("line\nbreak\ttab", "\"line\\nbreak\\ttab\"")]
    [InlineData("\u0001", "\"\\x01\"")]
    [InlineData("café", "\"café\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a\u00a0b", "\"a\\u00a0b\"")]
    public void Strings_quote_like_Go_strconv_Quote(string value, string expected)
    {
        Assert.Equal(expected, GoText.Quote(value));
    }

    [Theory]
    [InlineData("3", "3")]
    [InlineData("3.5", "3.5")]
    [InlineData("2.0", "2")]
    [InlineData("\"x\"", "\"x\"")]
    [InlineData("true", "true")]
    [InlineData("null", "\"null\"")]
    [InlineData("{\"a\":1}", "{\"a\":1}")]
    public void Bad_values_print_like_field_Error(string json, string expected)
    {
        Assert.Equal(expected, GoText.Value(JsonNode.Parse(json)));
    }

    [Fact]
    public void Numbers_built_in_code_print_like_parsed_ones()
    {
        Assert.Equal("7", GoText.Value(JsonValue.Create(7)));
        Assert.Equal("7", GoText.Value(JsonValue.Create(7L)));
        Assert.Equal("0.25", GoText.Value(JsonValue.Create(0.25)));
        Assert.Equal("1.5", GoText.Value(JsonValue.Create(1.5m)));
    }
}
