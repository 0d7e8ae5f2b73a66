using System.Text.Json.Nodes;
using Whetstone.Cli.Tests.Up;

namespace Whetstone.Cli.Tests.Commands;

/// <summary>
/// One <c>whetstone up</c> process shared by the command tests: JSON logs, a store seeded in a temporary folder,
/// a node big enough for the examples' requests, and the worker image mapped to a shell stand-in that prints a
/// line and then ticks every two seconds (the CLI's subject is the worker pod's log, not training).
/// </summary>
public sealed class EmbeddedClusterFixture : IAsyncLifetime
{
    /// <summary>The first line every stand-in worker pod prints.</summary>
    public const string StandInGreeting = "stand-in worker started";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(240);
    private UpProcess? _up;

    /// <summary>The temporary folder holding the data directory, the store and the config.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("whetstone-cli-").FullName;

    /// <summary>The store <c>up</c> seeded (<c>--store</c>).</summary>
    public string Store => Path.Combine(Root, "store");

    /// <summary>The kubeconfig <c>up</c> printed.</summary>
    public string Kubeconfig { get; private set; } = "";

    /// <summary>Everything <c>up</c> has printed so far.</summary>
    public string UpOutput => _up?.Output ?? "";

    public async Task InitializeAsync()
    {
        var config = new JsonObject
        {
            ["LocalNode"] = new JsonObject
            {
                ["Cpu"] = "32",
                ["Memory"] = "128Gi",
                ["Images"] = new JsonObject
                {
                    ["whetstone-worker"] = new JsonObject
                    {
                        ["FileName"] = "/bin/sh",
                        ["Args"] = new JsonArray("-c", $"echo \"{StandInGreeting}: $0 $*\"; echo \"malloc: $GLIBC_TUNABLES\"; i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 2; done"),
                    },
                },
            },
        };
        var configPath = Path.Combine(Root, "up.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        Directory.CreateDirectory(Path.Combine(Root, "cluster"));
        _up = UpProcess.Start(Path.Combine(Root, "cluster"), "--config", configPath, "--store", Store, "--log-format", "json");
        Kubeconfig = await _up.WaitForKubeconfigAsync(StartLimit);
    }

    /// <summary>Applies an example manifest with its <c>/var/lib/whetstone</c> paths pointed at the test store and its name replaced.</summary>
    public Task ApplyExampleAsync(string example, string exampleName, string name, Func<string, string>? edit = null)
    {
        var yaml = File.ReadAllText(RepositoryRoot.Combine("examples", example))
            .Replace("/var/lib/whetstone", Store, StringComparison.Ordinal)
            .Replace($"name: {exampleName}\n", $"name: {name}\n", StringComparison.Ordinal);
        return CliProcess.KubectlWithInput(Kubeconfig, edit is null ? yaml : edit(yaml), "apply", "-f", "-");
    }

    /// <summary>Runs <c>whetstone ARGS --kubeconfig …</c> against this cluster.</summary>
    public Task<(int ExitCode, string Output, string Error)> Whetstone(params string[] arguments) =>
        CliProcess.Whetstone([.. arguments, "--kubeconfig", Kubeconfig]);

    /// <summary>Repeats <paramref name="probe"/> until it returns true, failing with <paramref name="describe"/> after <paramref name="limit"/>.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> probe, TimeSpan limit, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Fail($"not reached within {limit.TotalSeconds:0} s: {await describe()}");
    }

    public async Task DisposeAsync()
    {
        if (_up is not null)
        {
            await _up.InterruptAsync(TimeSpan.FromSeconds(60));
            await _up.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }
}
