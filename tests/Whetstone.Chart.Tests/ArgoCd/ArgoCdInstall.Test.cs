using Whetstone.Chart.Tests.Rendering;
using Whetstone.Chart.Tests.Tools;

namespace Whetstone.Chart.Tests.ArgoCd;

public sealed class ArgoCdInstallTest
{
    [Fact]
    public async Task The_argocd_cm_patch_carries_every_health_check_and_action_unchanged()
    {
        var result = await ToolProcess.RunAsync("bash", [RepositoryRoot.Combine("argocd", "argocd-cm-patch.sh")], TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.All);

        var data = YamlJson.Parse(result.Output)["data"]!.AsObject();
        foreach (var kind in Directory.GetDirectories(LuaScripts.Root).Select(Path.GetFileName))
        {
            var directory = Path.Combine(LuaScripts.Root, kind!);
            Assert.Equal(File.ReadAllText(Path.Combine(directory, "health.lua")), (string)data[$"resource.customizations.health.whetstone.dev_{kind}"]!);
            var actions = YamlJson.Parse((string)data[$"resource.customizations.actions.whetstone.dev_{kind}"]!);
            Assert.Equal(File.ReadAllText(Path.Combine(directory, "actions", "discovery.lua")), (string)actions["discovery.lua"]!);
            var names = Directory.GetDirectories(Path.Combine(directory, "actions")).Select(Path.GetFileName).Where(n => n != "testdata").Order();
            Assert.Equal(names, actions["definitions"]!.AsArray().Select(d => (string)d!["name"]!).Order());
        }
    }

    [Fact]
    public async Task The_Application_example_installs_the_chart_with_values_the_schema_accepts()
    {
        var application = YamlJson.Parse(File.ReadAllText(RepositoryRoot.Combine("examples", "argocd", "whetstone-application.yaml")));

        var source = application["spec"]!["source"]!;
        Assert.Equal("helm/whetstone", (string?)source["path"]);
        Assert.True(Directory.Exists(RepositoryRoot.Combine("helm", "whetstone")));
        var chart = await ChartRenderer.RenderAsync(source["helm"]!["valuesObject"]!.ToJsonString());
        Assert.Single(chart.OfKind("PrometheusRule"));
        Assert.Equal(ChartRenderer.ReleaseNamespace, (string?)application["spec"]!["destination"]!["namespace"]);
    }
}
