using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Api;
using Whetstone.LocalCluster.Selectors;

namespace Whetstone.LocalCluster.Tests.Selectors;

public sealed class LabelSelectorTest
{
    private static readonly JsonObject Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (db, web)", true)]
    [InlineData("app notin (db,web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("missing!=x", true)]
    [InlineData("app=web,tier in (back)", false)]
    [InlineData("", true)]
    public void Requirements_match_as_kubernetes_defines_them(string selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Labels));

    [Fact]
    public void A_malformed_selector_is_a_bad_request()
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse("app in (a"));
        Assert.Equal(400, error.Code);
    }
}
