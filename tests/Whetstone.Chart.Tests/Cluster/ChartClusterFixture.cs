using System.Text.Json.Nodes;
using Whetstone.LocalCluster;
using Whetstone.Operator.Tests.EndToEnd;

namespace Whetstone.Chart.Tests.Cluster;

/// <summary>
/// The embedded API server the rendered chart is applied to with the real kubectl, with the namespaces the test
/// values name, and the (apiVersion, kind) pairs it serves, read from its discovery documents.
/// </summary>
public sealed class ChartClusterFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-chart-tests-{Guid.NewGuid():N}");
    private LocalClusterServer _server = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public IReadOnlySet<(string ApiVersion, string Kind)> Served { get; private set; } = new HashSet<(string, string)>();

    public async Task InitializeAsync()
    {
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = _dataDirectory, Port = 0 }, CancellationToken.None);
        Kubectl = new Kubectl(_server.KubeconfigPath);
        foreach (var ns in new[] { "whetstone-system", "team-a", "team-b" })
        {
            await Kubectl.RunOkAsync($"create namespace {ns}");
        }

        Served = await ReadServedKindsAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still open by a dying process: the temp folder is cleaned by the OS.
        }
    }

    private async Task<HashSet<(string, string)>> ReadServedKindsAsync()
    {
        var served = new HashSet<(string, string)>();
        var versions = new List<string> { "v1" };
        var groups = JsonNode.Parse(await Kubectl.RunOkAsync("get --raw /apis"))!["groups"]!.AsArray();
        // The embedded server lists the core group in /apis as well (as "/v1"); kube-apiserver does not: skip it.
        versions.AddRange(groups.Where(g => !string.IsNullOrEmpty((string?)g!["name"]))
            .SelectMany(g => g!["versions"]!.AsArray().Select(v => (string)v!["groupVersion"]!)));
        foreach (var version in versions)
        {
            var path = version == "v1" ? "/api/v1" : $"/apis/{version}";
            var resources = JsonNode.Parse(await Kubectl.RunOkAsync($"get --raw {path}"))!["resources"]!.AsArray();
            foreach (var resource in resources.Where(r => !((string)r!["name"]!).Contains('/', StringComparison.Ordinal)))
            {
                served.Add((version, (string)resource!["kind"]!));
            }
        }

        return served;
    }
}
