using Whetstone.Chart.Tests.Tools;

namespace Whetstone.Chart.Tests.Rendering;

/// <summary>
/// Renders helm/whetstone with tests/chart-renderer (Go text/template + sprig, as Helm renders; no helm binary can be
/// installed here). The tool is built once per test run, offline in GOPATH mode from Debian's Go packages
/// (scripts/setup.d/40-ecosystem.sh installs them).
/// </summary>
internal static class ChartRenderer
{
    public const string ReleaseName = "whetstone";
    public const string ReleaseNamespace = "whetstone-system";

    private static readonly SemaphoreSlim BuildGate = new(1, 1);
    private static string? _binary;

    public static string ChartPath => RepositoryRoot.Combine("helm", "whetstone");

    /// <summary>Renders with the chart's values.yaml plus <paramref name="values"/> (YAML), as <c>helm template -f</c>.</summary>
    public static async Task<ToolProcess.Result> RunAsync(string? values = null, string kubeVersion = "1.32.0", string? apiVersions = null, string? notesPath = null)
    {
        var binary = await BuildAsync();
        var arguments = new List<string> { "-chart", ChartPath, "-release", ReleaseName, "-namespace", ReleaseNamespace, "-kube-version", kubeVersion };
        string? valuesFile = null;
        if (values is not null)
        {
            valuesFile = Path.Combine(Path.GetTempPath(), $"whetstone-values-{Guid.NewGuid():N}.yaml");
            await File.WriteAllTextAsync(valuesFile, values);
            arguments.AddRange(["-f", valuesFile]);
        }

        if (apiVersions is not null)
        {
            arguments.AddRange(["-api-versions", apiVersions]);
        }

        if (notesPath is not null)
        {
            arguments.AddRange(["-notes", notesPath]);
        }

        try
        {
            return await ToolProcess.RunAsync(binary, arguments, TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (valuesFile is not null)
            {
                File.Delete(valuesFile);
            }
        }
    }

    /// <summary>Renders and parses the objects, failing the test when rendering fails.</summary>
    public static async Task<RenderedChart> RenderAsync(string? values = null)
    {
        var notes = Path.Combine(Path.GetTempPath(), $"whetstone-notes-{Guid.NewGuid():N}.txt");
        try
        {
            var result = await RunAsync(values, notesPath: notes);
            Assert.True(result.ExitCode == 0, $"the chart did not render: {result.All}");
            return RenderedChart.Parse(result.Output, await File.ReadAllTextAsync(notes));
        }
        finally
        {
            File.Delete(notes);
        }
    }

    private static async Task<string> BuildAsync()
    {
        await BuildGate.WaitAsync();
        try
        {
            if (_binary is not null)
            {
                return _binary;
            }

            var output = Path.Combine(AppContext.BaseDirectory, "chart-renderer");
            var result = await ToolProcess.RunAsync(
                "go", ["build", "-o", output, "."], TimeSpan.FromMinutes(3), RepositoryRoot.Combine("tests", "chart-renderer"),
                new Dictionary<string, string>
                {
                    ["GO111MODULE"] = "off",
                    ["GOPATH"] = "/usr/share/gocode",
                    ["GOFLAGS"] = "",
                    ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "whetstone-chart-renderer-gocache"),
                });
            Assert.True(result.ExitCode == 0, $"go build of tests/chart-renderer failed (run scripts/setup.sh for Debian's Go packages): {result.All}");
            _binary = output;
            return output;
        }
        finally
        {
            BuildGate.Release();
        }
    }
}
