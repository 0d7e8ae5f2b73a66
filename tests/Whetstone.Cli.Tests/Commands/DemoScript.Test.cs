using System.Text.RegularExpressions;
using Whetstone.Api.Serialization;
using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Tests.Commands;

/// <summary>
/// What demo.sh runs at its end, read from the script (running it takes ten minutes and every core): the summary of
/// each pipeline object comes from <c>whetstone report</c>, and every file the script runs exists.
/// </summary>
public sealed partial class DemoScriptTest
{
    private static readonly string Script = File.ReadAllText(RepositoryRoot.Combine("demo.sh"));

    [Fact]
    public void Demo_prints_every_pipeline_object_with_whetstone_report()
    {
        var reported = ReportCall().Matches(Script)
            .Select(match => WhetstoneKind.ParseReference(match.Groups[1].Value, "demo.sh"))
            .Select(reference => $"{reference.Kind.Kind}/{reference.Name}")
            .ToList();
        var pipeline = Directory.GetFiles(RepositoryRoot.Combine("examples", "pipeline"), "*.yaml")
            .Select(file => JsonYaml.Parse(File.ReadAllText(file)))
            .Select(manifest => $"{manifest["kind"]}/{manifest["metadata"]!["name"]}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(4, pipeline.Count);
        Assert.Equal(pipeline, reported.Order(StringComparer.Ordinal));
        Assert.Matches(WhetstoneFunction(), Script);
    }

    [Fact]
    public void Every_script_demo_sh_runs_exists()
    {
        var scripts = ScriptPath().Matches(Script).Select(match => match.Value).Distinct().ToList();

        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.True(File.Exists(RepositoryRoot.Combine(script)), $"demo.sh runs {script}, which does not exist");
        }
    }

    [GeneratedRegex(@"^\s*whetstone report (\S+)", RegexOptions.Multiline)]
    private static partial Regex ReportCall();

    /// <summary>The shell function the calls go through: the Release CLI the demo builds.</summary>
    [GeneratedRegex(@"whetstone\(\) \{ dotnet ""\$root/operator/Whetstone\.Cli/bin/Release/net10\.0/whetstone\.dll"" ""\$@""; \}")]
    private static partial Regex WhetstoneFunction();

    [GeneratedRegex(@"scripts/[\w./-]+\.(?:sh|py)")]
    private static partial Regex ScriptPath();
}
