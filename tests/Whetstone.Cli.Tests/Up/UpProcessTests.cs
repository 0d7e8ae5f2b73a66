using System.Diagnostics;
using System.Text;

namespace Whetstone.Cli.Tests.Up;

/// <summary>
/// `whetstone up` as a user runs it: the built CLI started as its own process (not a copy of its startup code),
/// driven with the real kubectl through the kubeconfig it prints, stopped with Ctrl-C (SIGINT), and started again on
/// the same data directory.
/// </summary>
public sealed class UpProcessTests : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(60);
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("whetstone-up-").FullName;

    [Fact]
    public async Task Up_prints_a_working_kubeconfig_stops_cleanly_on_ctrl_c_and_a_restart_keeps_the_objects()
    {
        string kubeconfig;
        await using (var first = UpProcess.Start(dataDirectory))
        {
            kubeconfig = await first.WaitForKubeconfigAsync(StartLimit);
            Assert.Equal(Path.Combine(dataDirectory, "kubeconfig"), kubeconfig);

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

        await using var second = UpProcess.Start(dataDirectory);
        Assert.Equal(kubeconfig, await second.WaitForKubeconfigAsync(StartLimit));
        Assert.Equal("42", await Kubectl(kubeconfig, "get", "configmap", "kept", "-o", "jsonpath={.data.answer}"));
        Assert.Contains("finetunejobs.whetstone.dev", await Kubectl(kubeconfig, "get", "crd", "-o", "name"), StringComparison.Ordinal);
        Assert.Equal(0, await second.InterruptAsync(StopLimit));
    }

    [Fact]
    public async Task A_config_file_that_does_not_exist_is_refused_with_exit_code_2_naming_the_option()
    {
        await using var up = UpProcess.Start(dataDirectory, "--config", Path.Combine(dataDirectory, "missing.json"));
        var exitCode = await up.WaitForExitAsync(StartLimit);

        Assert.Equal(2, exitCode);
        Assert.Contains("--config", up.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDirectory, "kubeconfig")));
    }

    public void Dispose() => Directory.Delete(dataDirectory, recursive: true);

    private static async Task<string> Kubectl(string kubeconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}");
        return await output + await error;
    }

    /// <summary>The built `whetstone` CLI running `up` in a child process, its output collected.</summary>
    private sealed class UpProcess : IAsyncDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private UpProcess(Process process)
        {
            this.process = process;
        }

        public string Output
        {
            get
            {
                lock (output)
                {
                    return output.ToString();
                }
            }
        }

        public static UpProcess Start(string dataDirectory, params string[] extra)
        {
            // The CLI is built into its own output folder with the same configuration as this test assembly.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var cli = RepositoryRoot.Combine("operator", "Whetstone.Cli", "bin", configuration, "net10.0", "whetstone.dll");
            Assert.True(File.Exists(cli), $"the CLI is not built at {cli}");
            // In a terminal, Ctrl-C reaches a process whose SIGINT is at its default. A test runner started from a
            // background shell job inherits SIGINT ignored, and an ignored signal stays ignored across exec (the .NET
            // runtime then never sees it); so the child restores the default first, as a terminal session has it,
            // and then becomes `dotnet whetstone.dll up` in place (same process id).
            var start = new ProcessStartInfo("/usr/bin/python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dataDirectory,
            };
            foreach (var argument in (string[])[
                "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])",
                "dotnet", cli, "up", "--data-dir", dataDirectory, "--gateway-port", "0", .. extra])
            {
                start.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = start };
            var up = new UpProcess(process);
            process.OutputDataReceived += (_, line) => up.Append(line.Data);
            process.ErrorDataReceived += (_, line) => up.Append(line.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return up;
        }

        /// <summary>Waits for the "Kubeconfig: PATH" line `up` prints once everything has started, and returns PATH.</summary>
        public async Task<string> WaitForKubeconfigAsync(TimeSpan limit)
        {
            var deadline = DateTime.UtcNow + limit;
            while (DateTime.UtcNow < deadline)
            {
                var line = Output.Split('\n').FirstOrDefault(l => l.StartsWith("Kubeconfig: ", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line["Kubeconfig: ".Length..].Trim();
                }

                Assert.False(process.HasExited, $"`whetstone up` exited {(process.HasExited ? process.ExitCode : 0)} before printing its kubeconfig:\n{Output}");
                await Task.Delay(250);
            }

            throw new TimeoutException($"`whetstone up` printed no kubeconfig within {limit.TotalSeconds:0} s:\n{Output}");
        }

        /// <summary>Sends SIGINT, as Ctrl-C in a terminal does, and waits for the exit code.</summary>
        public async Task<int> InterruptAsync(TimeSpan limit)
        {
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            return await WaitForExitAsync(limit);
        }

        public async Task<int> WaitForExitAsync(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"`whetstone up` did not exit within {limit.TotalSeconds:0} s:\n{Output}");
            }

            return process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
