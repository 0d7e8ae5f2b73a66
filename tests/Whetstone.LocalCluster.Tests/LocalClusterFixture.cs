using System.Diagnostics;
using k8s;

namespace Whetstone.LocalCluster.Tests;

/// <summary>
/// One real API server for the whole test assembly, on a free port in a temporary data directory, with the
/// test CRD (widgets.test.whetstone.dev) installed. Tests isolate themselves with their own namespaces.
/// </summary>
public sealed class LocalClusterFixture : IAsyncLifetime
{
    public const string Group = "test.whetstone.dev";
    public const string Version = "v1";
    public const string Plural = "widgets";

    public LocalClusterServer Server { get; private set; } = null!;
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "whetstone-lc-tests-" + Guid.NewGuid().ToString("N")[..8]);
    public Kubernetes Client { get; private set; } = null!;

    public static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = Path.Combine(Root, "data") }, CancellationToken.None);
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Server.KubeconfigPath));
        var result = await KubectlAsync("apply", "-f", TestData("widgets-crd.yaml"));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort cleanup of a temp folder.
        }
    }

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = ns } });
        return ns;
    }

    /// <summary>Runs the real kubectl against this server.</summary>
    public Task<ProcessResult> KubectlAsync(params string[] args) => KubectlWithInputAsync(null, args);

    public async Task<ProcessResult> KubectlWithInputAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(Path.Combine(Root, "kubectl-cache"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["KUBECONFIG"] = Server.KubeconfigPath;
        start.Environment["HOME"] = Root;
        return await ProcessResult.RunAsync(start, stdin, TimeSpan.FromSeconds(90));
    }
}
