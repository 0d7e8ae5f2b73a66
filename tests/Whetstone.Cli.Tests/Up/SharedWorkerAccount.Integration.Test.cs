using System.Text.Json.Nodes;
using Whetstone.Cli.Tests.Commands;

namespace Whetstone.Cli.Tests.Up;

/// <summary>
/// <c>whetstone up</c> with <c>Operator:Whetstone:Workers:PerJobServiceAccounts</c> false creates the shared worker
/// account the chart would, in namespaces that exist and in ones created later, and its token is allowed the jobs'
/// status and not Pods (the embedded server enforces RBAC).
/// </summary>
public sealed class SharedWorkerAccountIntegrationTest : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(180);
    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-up-shared-").FullName;

    [Fact]
    public async Task Up_creates_the_shared_worker_account_in_every_namespace_with_only_the_workers_rights()
    {
        var config = new JsonObject
        {
            ["Operator"] = new JsonObject { ["Whetstone"] = new JsonObject { ["Workers"] = new JsonObject { ["PerJobServiceAccounts"] = false } } },
        };
        var configPath = Path.Combine(_root, "up.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString());
        var dataDirectory = Directory.CreateDirectory(Path.Combine(_root, "cluster")).FullName;
        await using var up = UpProcess.Start(dataDirectory, "--config", configPath);
        var kubeconfig = await up.WaitForKubeconfigAsync(StartLimit);

        await CliProcess.Kubectl(kubeconfig, "create", "namespace", "team-late");
        foreach (var ns in new[] { "default", "team-late" })
        {
            await EmbeddedClusterFixture.WaitForAsync(
                async () => (await CliProcess.Kubectl(kubeconfig, "-n", ns, "get", "serviceaccounts,rolebindings", "-o", "name"))
                    .Split('\n').Count(line => line.Trim() is "serviceaccount/whetstone-worker" or "rolebinding.rbac.authorization.k8s.io/whetstone-worker") == 2,
                TimeSpan.FromSeconds(60),
                () => Task.FromResult($"the shared account in {ns}; up printed:\n{up.Output}"));
        }

        var token = (await CliProcess.Kubectl(kubeconfig, "-n", "team-late", "create", "token", "whetstone-worker")).Trim();
        var rules = await CliProcess.Kubectl(kubeconfig, "--token", token, "-n", "team-late", "auth", "can-i", "--list");
        Assert.Contains("finetunejobs.whetstone.dev/status", rules, StringComparison.Ordinal);
        Assert.DoesNotContain(rules.Split('\n'), line => line.StartsWith("pods", StringComparison.Ordinal) || line.StartsWith("secrets", StringComparison.Ordinal));
        Assert.Equal("yes", (await CliProcess.Kubectl(kubeconfig, "--token", token, "-n", "team-late", "auth", "can-i", "patch", "finetunejobs", "--subresource=status")).Trim());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A log still held by a stopping process: the temp folder is cleaned by the OS.
        }
    }
}
