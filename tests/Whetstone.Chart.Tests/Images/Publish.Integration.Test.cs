using System.Text.Json.Nodes;
using Whetstone.Chart.Tests.Rendering;
using Whetstone.Chart.Tests.Tools;

namespace Whetstone.Chart.Tests.Images;

/// <summary>
/// <c>dotnet publish -r linux-x64</c> of each executable exactly as its Dockerfile runs it (into a temporary artifacts
/// folder, so the checkout's obj/ is untouched): the published folder is what the image's /app holds, so it must have
/// the entrypoint, no native libraries of other platforms, and the operator must start from it with the chart's
/// settings file where the chart mounts it and report the version given as the build argument.
/// </summary>
public sealed class PublishIntegrationTest
{
    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task The_published_operator_starts_with_the_charts_settings_and_reports_the_build_version()
    {
        using var output = new TemporaryFolder();
        await PublishAsync("Dockerfile.operator", "operator/Whetstone.Operator/Whetstone.Operator.csproj", output.Path);
        AssertLinuxX64Only(output.Path);

        var chart = await ChartRenderer.RenderAsync("replicas: 1\n");
        var settings = (string)chart.Single("ConfigMap", "whetstone-operator-settings").Json["data"]!["appsettings.Production.json"]!;
        await File.WriteAllTextAsync(Path.Combine(output.Path, "appsettings.Production.json"), settings);
        var metrics = await ScrapeOnceAsync(Path.Combine(output.Path, "whetstone-operator"), output.Path);

        Assert.Contains("whetstone_build_info{", metrics, StringComparison.Ordinal);
        Assert.Contains("version=\"9.8.7\"", metrics, StringComparison.Ordinal);
        // One replica's settings turn leader election off, so it leads without a Lease (the built-in default would
        // compete for one on a cluster that is not there and stand at 0).
        Assert.Matches(@"(?m)^whetstone_leader\{[^}]*\} 1( |$)", metrics);
    }

    [Fact]
    public async Task The_published_worker_has_its_entrypoint_and_only_linux_x64_native_libraries()
    {
        using var output = new TemporaryFolder();
        await PublishAsync("Dockerfile.worker", "worker/Whetstone.Worker/Whetstone.Worker.csproj", output.Path);

        Assert.True(File.Exists(Path.Combine(output.Path, "whetstone-worker")));
        AssertLinuxX64Only(output.Path);
        Assert.NotEmpty(Directory.GetFiles(output.Path, "libtorch*.so*", SearchOption.AllDirectories));
        var version = await ToolProcess.RunAsync(Path.Combine(output.Path, "whetstone-worker"), ["--version"], TimeSpan.FromSeconds(60), output.Path);
        Assert.True(version.ExitCode == 0, version.All);
        Assert.StartsWith("9.8.7", version.Output.Trim(), StringComparison.Ordinal);
    }

    // The Dockerfile's publish arguments with the build argument filled in, plus an artifacts folder of its own.
    private static async Task PublishAsync(string dockerfile, string project, string output)
    {
        var run = Dockerfile.Load(RepositoryRoot.Combine(dockerfile)).Stage("build").Single("RUN");
        var arguments = run[run.IndexOf("publish", StringComparison.Ordinal)..]
            .Replace("${VERSION}", "9.8.7", StringComparison.Ordinal).Replace("${FLAVOR}", "cpu", StringComparison.Ordinal)
            .Replace("--no-restore", string.Empty, StringComparison.Ordinal).Replace("-p:TreatWarningsAsErrors=true", string.Empty, StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var outputFlag = arguments.IndexOf("-o");
        arguments[outputFlag + 1] = output;
        arguments.AddRange(["--artifacts-path", Path.Combine(output, "..", Path.GetFileName(output) + "-artifacts"), "-v", "q"]);
        Assert.Contains(project, arguments);

        var result = await ToolProcess.RunAsync("dotnet", arguments, PublishLimit);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed: {result.All}");
    }

    private static void AssertLinuxX64Only(string folder)
    {
        var runtimes = Path.Combine(folder, "runtimes");
        var foreign = Directory.Exists(runtimes) ? Directory.GetDirectories(runtimes).Select(Path.GetFileName).Where(r => r != "linux-x64").ToList() : [];
        Assert.Empty(foreign);
        Assert.DoesNotContain(Directory.GetFiles(folder, "*.dll", SearchOption.AllDirectories), f => f.Contains("win-", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(folder, "*.dylib", SearchOption.AllDirectories));
    }

    // Starts the published operator as the image would (its apphost, working directory /app), reads /metrics once, stops it.
    private static async Task<string> ScrapeOnceAsync(string executable, string workingDirectory)
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var number = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        var start = new System.Diagnostics.ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{number}";
        // A cluster that is not there: the operator serves /metrics while its informers retry.
        var kubeconfig = Path.Combine(workingDirectory, "..", Path.GetFileName(workingDirectory) + "-kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: none, user: {token: none}}]
            contexts: [{name: none, context: {cluster: none, user: none}}]
            current-context: none
            """);
        start.Environment["Whetstone__Operator__Kubeconfig"] = kubeconfig;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = System.Diagnostics.Process.Start(start)!;
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                try
                {
                    return await http.GetStringAsync(new Uri($"http://127.0.0.1:{number}/metrics"));
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(200);
                }
                catch (HttpRequestException e)
                {
                    throw new InvalidOperationException($"the published operator served no /metrics: {string.Join('\n', log)}", e);
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            File.Delete(kubeconfig);
        }
    }
}
