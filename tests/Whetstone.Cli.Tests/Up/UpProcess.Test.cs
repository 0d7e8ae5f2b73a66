using System.Diagnostics;
using System.Text;

namespace Whetstone.Cli.Tests.Up;

/// <summary>
/// `whetstone up` as a user runs it: the built CLI started as its own process (not a copy of its startup code),
/// driven with the real kubectl through the kubeconfig it prints, stopped with Ctrl-C (SIGINT), and started again on
/// the same data directory.
/// </summary>
public sealed class UpProcessTest : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("whetstone-up-").FullName;

    [Fact]
    public async Task Up_prints_a_working_kubeconfig_stops_cleanly_on_ctrl_c_and_a_restart_keeps_the_objects()
    {
        string kubeconfig;
        await using (var first = UpProcess.Start(_dataDirectory))
        {
            kubeconfig = await first.WaitForKubeconfigAsync(StartLimit);
            Assert.Equal(Path.Combine(_dataDirectory, "kubeconfig"), kubeconfig);

            var nodes = await Kubectl(kubeconfig, "get", "nodes", "-o", "name");
            Assert.StartsWith("node/", nodes.Trim(), StringComparison.Ordinal);
            await Kubectl(kubeconfig, "apply", "-f", RepositoryRoot.Combine("crds"));
            await Kubectl(kubeconfig, "wait", "--for=condition=Established", "crd", "--all", "--timeout=60s");
            await Kubectl(kubeconfig, "create", "configmap", "kept", "--from-literal=answer=42");
            Assert.Contains("No resources found", await Kubectl(kubeconfig, "get", "ftj,cpj,evr,mro"), StringComparison.Ordinal);

            var exitCode = await first.InterruptAsync(StopLimit);
            Assert.True(exitCode == 0, $"`whetstone up` exited {exitCode} after Ctrl-C; its output:\n{first.Output}");
            Assert.Contains("Stopping", first.Output, StringComparison.Ordinal);
        }

        await using var second = UpProcess.Start(_dataDirectory);
        Assert.Equal(kubeconfig, await second.WaitForKubeconfigAsync(StartLimit));
        Assert.Equal("42", await Kubectl(kubeconfig, "get", "configmap", "kept", "-o", "jsonpath={.data.answer}"));
        Assert.Contains("finetunejobs.whetstone.dev", await Kubectl(kubeconfig, "get", "crd", "-o", "name"), StringComparison.Ordinal);
        Assert.Equal(0, await second.InterruptAsync(StopLimit));
    }

    [Fact]
    public async Task A_config_file_that_does_not_exist_is_refused_with_exit_code_2_naming_the_option()
    {
        await using var up = UpProcess.Start(_dataDirectory, "--config", Path.Combine(_dataDirectory, "missing.json"));
        var exitCode = await up.WaitForExitAsync(StartLimit);

        Assert.Equal(2, exitCode);
        Assert.Contains("--config", up.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "kubeconfig")));
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private static Task<string> Kubectl(string kubeconfig, params string[] arguments) => CliProcess.Kubectl(kubeconfig, arguments);
}
