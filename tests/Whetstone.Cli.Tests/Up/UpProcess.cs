using System.Diagnostics;
using System.Text;

namespace Whetstone.Cli.Tests.Up;

/// <summary>The built `whetstone` CLI running `up` in a child process, its output collected.</summary>
internal sealed class UpProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private UpProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static UpProcess Start(string dataDirectory, params string[] extra)
    {
        // The CLI is built into its own output folder with the same configuration as this test assembly.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var cli = RepositoryRoot.Combine("operator", "Whetstone.Cli", "bin", configuration, "net10.0", "whetstone.dll");
        Assert.True(File.Exists(cli), $"the CLI is not built at {cli}");
        // Tests never seed the machine's /var/lib/whetstone: the store goes under the data directory unless given.
        string[] store = extra.Contains("--store") ? [] : ["--store", Path.Combine(dataDirectory, "store")];
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
            "dotnet", cli, "up", "--data-dir", dataDirectory, "--gateway-port", "0", .. extra, .. store])
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

            Assert.False(_process.HasExited, $"`whetstone up` exited {(_process.HasExited ? _process.ExitCode : 0)} before printing its kubeconfig:\n{Output}");
            await Task.Delay(250);
        }

        throw new TimeoutException($"`whetstone up` printed no kubeconfig within {limit.TotalSeconds:0} s:\n{Output}");
    }

    /// <summary>Sends SIGINT, as Ctrl-C in a terminal does, and waits for the exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan limit)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
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
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"`whetstone up` did not exit within {limit.TotalSeconds:0} s:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
