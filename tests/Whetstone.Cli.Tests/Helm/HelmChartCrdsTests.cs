namespace Whetstone.Cli.Tests.Helm;

public sealed class HelmChartCrdsTests
{
    [Fact]
    public void The_charts_CRDs_are_the_generated_ones()
    {
        var generated = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "crds"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var chart = Path.Combine(RepositoryRoot.Path, "helm", "whetstone", "crds");
        Assert.Equal(generated, Directory.GetFiles(chart, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
        foreach (var name in generated)
        {
            Assert.True(
                File.ReadAllText(Path.Combine(RepositoryRoot.Path, "crds", name!)) == File.ReadAllText(Path.Combine(chart, name!)),
                $"helm/whetstone/crds/{name} differs from crds/{name}: copy crds/*.yaml into the chart after `whetstone crds`");
        }
    }
}
