using System.Diagnostics;
using System.Globalization;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// A container running as a local process in its own session and process group (started through
/// <c>setsid</c>), so signals reach everything it spawned, the way a runtime signals a whole container.
/// </summary>
internal sealed class ContainerProcess : IDisposable
{
    private const string SetSid = "/usr/bin/setsid";
    private readonly Process _process;
    private readonly ContainerLog _log;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ContainerProcess(Process process, ContainerLog log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>Process id, which is also the process group id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Completes with the exit code when the main process ends (128 + signal when a signal ended it).</summary>
    public Task<int> Exited => _exited.Task;

    public static ContainerProcess Start(
        string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logFile)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        var ownGroup = File.Exists(SetSid);
        info.FileName = ownGroup ? SetSid : executable;
        if (ownGroup)
        {
            info.ArgumentList.Add(executable);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var log = new ContainerLog(logFile);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var container = new ContainerProcess(process, log);
        process.OutputDataReceived += (_, e) => log.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => log.WriteLine(e.Data);
        process.Exited += (_, _) => container._exited.TrySetResult(process.ExitCode);
        try
        {
            process.Start();
        }
        catch
        {
            log.Dispose();
            process.Dispose();
            throw;
        }

        // Containers run without stdin unless asked (stdin: true is not supported here): close it at once.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return container;
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, KILL) to the container's whole process group.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("/bin/kill")
        {
            ArgumentList = { "-s", signal, "--", "-" + ProcessId.ToString(CultureInfo.InvariantCulture) },
            UseShellExecute = false,
            RedirectStandardError = true,
        });
        if (kill is not null)
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SIGTERM, up to <paramref name="gracePeriod"/> to exit, then SIGKILL and <see cref="ReapAsync"/>, so what the
    /// container printed while stopping (a shutdown handler's last line) is in the log when this returns; returns the
    /// exit code.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan gracePeriod)
    {
        if (!Exited.IsCompleted)
        {
            await SignalAsync("TERM").ConfigureAwait(false);
            await Task.WhenAny(Exited, Task.Delay(gracePeriod)).ConfigureAwait(false);
        }

        await ReapAsync().ConfigureAwait(false);
        return await Exited.ConfigureAwait(false);
    }

    /// <summary>
    /// After the main process ended: kills what it left behind in its group (a runtime tears the whole
    /// container down) and waits briefly for the output pipes to drain into the log.
    /// </summary>
    public async Task ReapAsync()
    {
        await SignalAsync("KILL").ConfigureAwait(false);
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _process.WaitForExitAsync(drained.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Output still held open by something outside the group; the log keeps what arrived.
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        _log.Dispose();
    }
}
