using System.Diagnostics;

namespace Whetstone.LocalCluster.Tests.Clients;

/// <summary>The official Python client (Debian's python3-kubernetes) runs the basic scenario unchanged.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class PythonClientScenarioTest(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Python_client_creates_patches_lists_watches_and_deletes()
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "python", "scenario.py"));
        start.ArgumentList.Add(cluster.Server.KubeconfigPath);
        start.ArgumentList.Add("python-" + Guid.NewGuid().ToString("N")[..6]);
        var result = await ProcessResult.RunAsync(start, null, TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("ok", result.Stdout.Trim());
    }
}
