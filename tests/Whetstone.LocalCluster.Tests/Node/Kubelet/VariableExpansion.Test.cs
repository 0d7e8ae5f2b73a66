using Whetstone.LocalCluster.Node.Kubelet;

namespace Whetstone.LocalCluster.Tests.Node.Kubelet;

public sealed class VariableExpansionTest
{
    private static readonly Dictionary<string, string> Variables = new() { ["PORT"] = "8080", ["NAME"] = "demo" };

    [Theory]
    [InlineData("--port=$(PORT)", "--port=8080")]
    [InlineData("$(NAME)-$(PORT)", "demo-8080")]
    [InlineData("$(MISSING)", "$(MISSING)")]
    [InlineData("$$(PORT)", "$(PORT)")]
    [InlineData("cost: 5$", "cost: 5$")]
    [InlineData("$(unclosed", "$(unclosed")]
    [InlineData("plain", "plain")]
    public void Expands_like_the_kubelet(string input, string expected)
    {
        Assert.Equal(expected, VariableExpansion.Expand(input, Variables));
    }
}
